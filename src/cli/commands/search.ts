import type { CliCommand } from '../command'

/** `parley search` (being built). */
export const SEARCH_COMMANDS: readonly CliCommand[] = []
