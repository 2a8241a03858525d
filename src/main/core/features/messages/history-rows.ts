import type Database from 'better-sqlite3'
import type { ChatMessage } from '../../../../shared/contract'
import type { PageCursor } from '../../../../shared/schemas'
import { MESSAGE_COLUMNS, toMessage, type MessageRow } from './rows'

/**
 * Reads a conversation oldest first in keyset pages (ts, id), for an export: each
 * page is one short query on the (conversation_id, ts, id) index, so a caller can
 * yield to the event loop between pages however long the history is.
 */
export class HistoryRows {
  private readonly q

  constructor(db: Database.Database) {
    this.q = {
      first: db.prepare(`SELECT ${MESSAGE_COLUMNS} FROM messages WHERE conversation_id = ? ORDER BY ts, id LIMIT ?`),
      // The bound as a range on ts plus the tie-break on id (as in paging.ts): SQLite seeks to the cursor.
      // Written as (ts > ? OR (ts = ? AND id > ?)) it walked the conversation from its start on every page.
      after: db.prepare(
        `SELECT ${MESSAGE_COLUMNS} FROM messages INDEXED BY messages_by_conversation
         WHERE conversation_id = ? AND ts >= ? AND (ts > ? OR id > ?) ORDER BY ts, id LIMIT ?`,
      ),
      countOne: db.prepare(`SELECT count(*) AS n FROM messages WHERE conversation_id = ?`),
      countAll: db.prepare(`SELECT count(*) AS n FROM messages`),
    }
  }

  oldestFirst(conversationId: string, after: PageCursor | null, limit: number): ChatMessage[] {
    const rows = (after ? this.q.after.all(conversationId, after.ts, after.ts, after.id, limit) : this.q.first.all(conversationId, limit)) as MessageRow[]
    return rows.map(toMessage)
  }

  count(conversationId: string | null): number {
    return ((conversationId === null ? this.q.countAll.get() : this.q.countOne.get(conversationId)) as { n: number }).n
  }
}
