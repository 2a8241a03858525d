import { migration0001 } from './0001_conversations_and_messages'
import { migration0002 } from './0002_counters'
import type { Migration } from './types'

export const MIGRATIONS: readonly Migration[] = [migration0001, migration0002]
export type { Migration }
