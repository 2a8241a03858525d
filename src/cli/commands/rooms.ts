// Placeholder until the feature's commands land (issue 9): registered so commands/index.ts needs no further edits.
import type { CliCommand } from '../command'

export const ROOM_COMMANDS: readonly CliCommand[] = []
