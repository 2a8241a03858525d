import type { Migration } from './types'

/**
 * The kernel's outbox (what features publish through the stored publisher) and a
 * small key/value table where features keep their preferences.
 */
export const migration0003: Migration = {
  version: 3,
  name: 'outbox and prefs',
  up(db) {
    db.exec(`
      CREATE TABLE outbox (
        rowid         INTEGER PRIMARY KEY,
        owner         TEXT NOT NULL,
        ref           TEXT NOT NULL,
        topic         TEXT NOT NULL,
        payload       BLOB NOT NULL,
        state         TEXT NOT NULL CHECK (state IN ('queued', 'acked', 'failed')),
        reoffer       INTEGER NOT NULL DEFAULT 0,
        drops         INTEGER NOT NULL DEFAULT 0,
        offers        INTEGER NOT NULL DEFAULT 0,
        next_offer_at INTEGER,
        created_at    INTEGER NOT NULL,
        UNIQUE (owner, ref)
      ) STRICT;
      CREATE INDEX outbox_queued ON outbox (rowid) WHERE state = 'queued';

      CREATE TABLE prefs (
        key   TEXT PRIMARY KEY,
        value TEXT NOT NULL
      ) STRICT;
    `)
  },
}
