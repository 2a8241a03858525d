// Placeholder until the feature's commands land: registered so commands/index.ts needs no further edits.
import type { CliCommand } from '../command'

export const PHONE_COMMANDS: readonly CliCommand[] = []
