import { migration0001 } from './0001_conversations_and_messages'
import { migration0002 } from './0002_counters'
import { migration0003 } from './0003_outbox_and_prefs'
import type { Migration } from './types'

/** The kernel's own migrations; features bring theirs (features/index.ts puts them all in order). */
export const MIGRATIONS: readonly Migration[] = [migration0001, migration0002, migration0003]
export type { Migration }
