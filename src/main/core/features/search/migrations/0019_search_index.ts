import type { Migration } from '../../../store/migrations/types'

/**
 * The queues that keep the full-text index in step with `messages`. The index itself
 * is one FTS5 table per quarter of message time (see partitions.ts), made as messages
 * of that quarter are indexed. Indexing is not done by the insert: a trigger only
 * queues the rowid (the message's time key) in the same transaction, so no message
 * is ever missed, and the indexer empties the queues in batches off the receive
 * path. A deleted or edited message queues its key to be taken out of the index
 * (before anything is added again under that key). Existing history is queued here.
 */
export const migration0019: Migration = {
  version: 19,
  name: 'search index',
  up(db) {
    db.exec(`
      CREATE TABLE search_queue (rowid INTEGER PRIMARY KEY) STRICT;
      CREATE TABLE search_forget (rowid INTEGER PRIMARY KEY) STRICT;
      CREATE TRIGGER message_index_queue AFTER INSERT ON messages BEGIN
        INSERT OR IGNORE INTO search_queue (rowid) VALUES (new.rowid);
      END;
      CREATE TRIGGER message_index_requeue AFTER UPDATE OF text ON messages BEGIN
        INSERT OR IGNORE INTO search_forget (rowid) VALUES (old.rowid);
        INSERT OR IGNORE INTO search_queue (rowid) VALUES (new.rowid);
      END;
      CREATE TRIGGER message_index_forget AFTER DELETE ON messages BEGIN
        DELETE FROM search_queue WHERE rowid = old.rowid;
        INSERT OR IGNORE INTO search_forget (rowid) VALUES (old.rowid);
      END;
      INSERT INTO search_queue (rowid) SELECT rowid FROM messages;
    `)
  },
}
