import type { CliCommand } from '../command'

/** `parley export` and `parley import` (being built). */
export const HISTORY_COMMANDS: readonly CliCommand[] = []
