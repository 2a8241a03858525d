import type { Migration } from '../../../store/migrations/types'

/**
 * The full-text index of message text: FTS5 with the trigram tokenizer (substrings
 * inside words, any script; accents and case folded), contentless (the text stays
 * in `messages` only) with deletes allowed, sharing the message's rowid, its time
 * key. `scope` holds a tag of the conversation and one of the sender, so `in:` and
 * `from:` are index lookups too.
 *
 * Indexing is not done by the insert: a trigger only queues the rowid, in the same
 * transaction, so no message is ever missed, and the indexer empties the queue in
 * batches off the receive path. Existing history is queued here.
 */
export const migration0019: Migration = {
  version: 19,
  name: 'search index',
  up(db) {
    db.exec(`
      CREATE VIRTUAL TABLE message_index USING fts5(
        body, scope,
        content = '', contentless_delete = 1,
        tokenize = 'trigram remove_diacritics 1'
      );
      CREATE TABLE search_queue (rowid INTEGER PRIMARY KEY) STRICT;
      CREATE TRIGGER message_index_queue AFTER INSERT ON messages BEGIN
        INSERT OR IGNORE INTO search_queue (rowid) VALUES (new.rowid);
      END;
      CREATE TRIGGER message_index_requeue AFTER UPDATE OF text ON messages BEGIN
        DELETE FROM message_index WHERE rowid = old.rowid;
        INSERT OR IGNORE INTO search_queue (rowid) VALUES (new.rowid);
      END;
      CREATE TRIGGER message_index_forget AFTER DELETE ON messages BEGIN
        DELETE FROM search_queue WHERE rowid = old.rowid;
        DELETE FROM message_index WHERE rowid = old.rowid;
      END;
      INSERT INTO search_queue (rowid) SELECT rowid FROM messages;
    `)
  },
}
