import type { Migration } from '../../../store/migrations/types'

/**
 * The people I blocked: the codec refuses everything they send (kept here so it
 * survives a restart), and whether they were told (seed 000's Unsub with "notify").
 * An unblock keeps the row for a while with `ended_at`: their client goes on
 * offering what it sent during the block, and that must stay out after it.
 */
export const migration0010: Migration = {
  version: 10,
  name: 'blocks',
  up(db) {
    db.exec(`
      CREATE TABLE blocks (
        user     TEXT PRIMARY KEY,
        since    INTEGER NOT NULL,
        notified INTEGER NOT NULL CHECK (notified IN (0, 1)),
        ended_at INTEGER,
        CHECK (ended_at IS NULL OR ended_at >= since)
      ) STRICT, WITHOUT ROWID;
    `)
  },
}
