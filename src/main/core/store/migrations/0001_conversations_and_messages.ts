import type { Migration } from './types'

/**
 * Conversations and their messages. `messages` keeps an INTEGER rowid so an
 * external-content FTS5 index can point at it later; `id` is the envelope's
 * UUIDv7 and UNIQUE, which is what makes a re-delivered message a no-op.
 */
export const migration0001: Migration = {
  version: 1,
  name: 'conversations and messages',
  up(db) {
    db.exec(`
      CREATE TABLE conversations (
        id          TEXT PRIMARY KEY,
        kind        TEXT NOT NULL CHECK (kind IN ('dm')),
        peer        TEXT NOT NULL,
        title       TEXT NOT NULL,
        unread      INTEGER NOT NULL DEFAULT 0,
        updated_at  INTEGER NOT NULL,
        created_at  INTEGER NOT NULL
      ) STRICT;

      CREATE TABLE messages (
        rowid           INTEGER PRIMARY KEY,
        id              TEXT NOT NULL UNIQUE,
        conversation_id TEXT NOT NULL REFERENCES conversations(id),
        sender          TEXT NOT NULL,
        sender_device   TEXT,
        direction       TEXT NOT NULL CHECK (direction IN ('in', 'out')),
        ts              INTEGER NOT NULL,
        seq             INTEGER,
        text            TEXT NOT NULL,
        status          TEXT NOT NULL CHECK (status IN ('pending', 'sent', 'received')),
        received_at     INTEGER NOT NULL
      ) STRICT;

      CREATE INDEX messages_by_conversation ON messages (conversation_id, ts, id);
      -- The outbox is the pending outgoing rows; a partial index keeps finding them cheap.
      CREATE INDEX messages_outbox ON messages (rowid) WHERE status = 'pending';
    `)
  },
}
