import type { Migration } from './types'

/** Small named counters, e.g. the per-sender sequence number put on every envelope. */
export const migration0002: Migration = {
  version: 2,
  name: 'counters',
  up(db) {
    db.exec(`
      CREATE TABLE counters (
        name  TEXT PRIMARY KEY,
        value INTEGER NOT NULL
      ) STRICT;
    `)
  },
}
