import type { Migration } from '../../../store/migrations/types'

/**
 * Conversations of every kind: 'dm' (1:1), 'group', 'room' (an open topic) and
 * 'system' (regional broadcasts). SQLite cannot change a CHECK in place, so the
 * table is rebuilt; messages refer to it, so migrate() runs this with foreign keys
 * off and checks them all before the commit.
 */
export const migration0004: Migration = {
  version: 4,
  name: 'conversation kinds',
  up(db) {
    db.exec(`
      CREATE TABLE conversations_new (
        id          TEXT PRIMARY KEY,
        kind        TEXT NOT NULL CHECK (kind IN ('dm', 'group', 'room', 'system')),
        peer        TEXT NOT NULL,
        title       TEXT NOT NULL,
        unread      INTEGER NOT NULL DEFAULT 0,
        updated_at  INTEGER NOT NULL,
        created_at  INTEGER NOT NULL
      ) STRICT;
      INSERT INTO conversations_new (id, kind, peer, title, unread, updated_at, created_at)
        SELECT id, kind, peer, title, unread, updated_at, created_at FROM conversations;
      DROP TABLE conversations;
      ALTER TABLE conversations_new RENAME TO conversations;
      CREATE INDEX conversations_by_kind ON conversations (kind, peer);
    `)
  },
}
