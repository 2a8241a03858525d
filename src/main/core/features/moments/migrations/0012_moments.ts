import type { Migration } from '../../../store/migrations/types'

/**
 * Moments (seed 000 scenario 2): my posts and those of the people I follow, kept
 * for reading offline and paged newest first by (ts, id); and whom I chose to
 * follow or not, which wins over the default of following my contacts.
 */
export const migration0012: Migration = {
  version: 12,
  name: 'moments and follows',
  up(db) {
    db.exec(`
      CREATE TABLE moments (
        id          TEXT PRIMARY KEY,
        author      TEXT NOT NULL,
        text        TEXT NOT NULL,
        ts          INTEGER NOT NULL,
        mine        INTEGER NOT NULL CHECK (mine IN (0, 1)),
        status      TEXT NOT NULL CHECK (status IN ('pending', 'sent', 'failed', 'received')),
        received_at INTEGER NOT NULL
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX moments_by_time ON moments (ts DESC, id DESC);
      CREATE TABLE follows (
        user       TEXT PRIMARY KEY,
        following  INTEGER NOT NULL CHECK (following IN (0, 1)),
        updated_at INTEGER NOT NULL
      ) STRICT, WITHOUT ROWID;
    `)
  },
}
