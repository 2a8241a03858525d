/** Every `parley` command, a group per file; a new group is its file and one line here. */
import type { CliCommand } from '../command'
import { BLOCKING_COMMANDS } from './blocking'
import { BROADCAST_COMMANDS } from './broadcasts'
import { CONTACT_COMMANDS } from './contacts'
import { DEVICE_COMMANDS } from './devices'
import { GROUP_COMMANDS } from './groups'
import { MESSAGE_COMMANDS } from './messages'
import { MOMENT_COMMANDS } from './moments'
import { PHONE_COMMANDS } from './phone'
import { PRESENCE_COMMANDS } from './presence'
import { PROFILE_COMMANDS } from './profiles'
import { ROOM_COMMANDS } from './rooms'
import { SEARCH_COMMANDS } from './search'
import { HISTORY_COMMANDS } from './history'

export const COMMANDS: readonly CliCommand[] = [
  ...MESSAGE_COMMANDS,
  ...PRESENCE_COMMANDS,
  ...CONTACT_COMMANDS,
  ...BLOCKING_COMMANDS,
  ...MOMENT_COMMANDS,
  ...PROFILE_COMMANDS,
  ...PHONE_COMMANDS,
  ...DEVICE_COMMANDS,
  ...GROUP_COMMANDS,
  ...ROOM_COMMANDS,
  ...BROADCAST_COMMANDS,
  ...SEARCH_COMMANDS,
  ...HISTORY_COMMANDS,
]
