import type { Migration } from '../../../store/migrations/types'

/** The last presence seen of each device of each person, so "last seen" survives a restart. */
export const migration0006: Migration = {
  version: 6,
  name: 'presence',
  up(db) {
    db.exec(`
      CREATE TABLE presence (
        user       TEXT NOT NULL,
        device     TEXT NOT NULL,
        state      TEXT NOT NULL CHECK (state IN ('online', 'away', 'dnd', 'offline')),
        last_seen  INTEGER,
        updated_at INTEGER NOT NULL,
        PRIMARY KEY (user, device)
      ) STRICT;
    `)
  },
}
