/** Every `parley` command, a group per file; a new group is its file and one line here. */
import type { CliCommand } from '../command'
import { MESSAGE_COMMANDS } from './messages'
import { PRESENCE_COMMANDS } from './presence'

export const COMMANDS: readonly CliCommand[] = [
  ...MESSAGE_COMMANDS,
  ...PRESENCE_COMMANDS,
]
