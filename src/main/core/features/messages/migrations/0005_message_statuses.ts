import type { Migration } from '../../../store/migrations/types'

/**
 * Message statuses beyond pending/sent/received: delivered and read (receipts),
 * failed (the broker refused it) with the reason in `error`, and seen (an incoming
 * message the person has read here). The table is rebuilt to change its CHECK; the
 * outbox now lives in the kernel's `outbox` table, so its partial index goes.
 */
export const migration0005: Migration = {
  version: 5,
  name: 'message statuses',
  up(db) {
    db.exec(`
      CREATE TABLE messages_new (
        rowid           INTEGER PRIMARY KEY,
        id              TEXT NOT NULL UNIQUE,
        conversation_id TEXT NOT NULL REFERENCES conversations(id),
        sender          TEXT NOT NULL,
        sender_device   TEXT,
        direction       TEXT NOT NULL CHECK (direction IN ('in', 'out')),
        ts              INTEGER NOT NULL,
        seq             INTEGER,
        text            TEXT NOT NULL,
        status          TEXT NOT NULL CHECK (status IN ('pending', 'sent', 'delivered', 'read', 'failed', 'received', 'seen')),
        error           TEXT,
        received_at     INTEGER NOT NULL
      ) STRICT;
      INSERT INTO messages_new (rowid, id, conversation_id, sender, sender_device, direction, ts, seq, text, status, error, received_at)
        SELECT rowid, id, conversation_id, sender, sender_device, direction, ts, seq, text, status, NULL, received_at FROM messages;
      DROP TABLE messages;
      ALTER TABLE messages_new RENAME TO messages;
      CREATE INDEX messages_by_conversation ON messages (conversation_id, ts, id);
      -- Incoming messages not yet read here: what a read receipt reports.
      CREATE INDEX messages_unseen ON messages (conversation_id) WHERE status = 'received';
      -- Outgoing messages waiting for a receipt.
      CREATE INDEX messages_awaiting_receipt ON messages (conversation_id) WHERE status IN ('sent', 'delivered');
    `)
  },
}
