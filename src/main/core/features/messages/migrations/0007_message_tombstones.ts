import type { Migration } from '../../../store/migrations/types'

/**
 * Ids of messages deleted here ("delete for me"). A sender offers a message again
 * until it hears it was delivered, and a broker may deliver it twice: without a
 * tombstone a deleted message would come back as new. Kept for 30 days, longer
 * than anything is offered again.
 */
export const migration0007: Migration = {
  version: 7,
  name: 'message tombstones',
  up(db) {
    db.exec(`
      CREATE TABLE message_tombstones (
        id              TEXT PRIMARY KEY,
        conversation_id TEXT NOT NULL,
        deleted_at      INTEGER NOT NULL
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX message_tombstones_by_time ON message_tombstones (deleted_at);
    `)
  },
}
