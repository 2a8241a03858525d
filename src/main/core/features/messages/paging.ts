import type Database from 'better-sqlite3'
import type { ChatMessage, MessagePage } from '../../../../shared/contract'
import type { PageCursor } from '../../../../shared/schemas'
import { ParleyError } from '../../../../shared/rpc'
import { MESSAGE_COLUMNS as COLUMNS, toMessage, type MessageRow } from './rows'

/**
 * Where a page of one conversation sits in its history (ordered by ts, then id):
 * the newest page (nothing given); the messages older than `before` or newer than
 * `after`; or the ones `around` a message id (jump-to: it, with up to `limit` on
 * each side).
 */
export interface PagePosition {
  before?: PageCursor | null
  after?: PageCursor | null
  around?: string | null
}

const cursorOf = (m: { ts: number; id: string }): PageCursor => ({ ts: m.ts, id: m.id })

/**
 * Keyset paging over the index (conversation_id, ts, id), in both directions. Each
 * bound is written as a range on ts (`ts <= @ts`) plus the tie-break on id, so
 * SQLite seeks straight to the cursor instead of walking from an end of the
 * conversation: a page deep in a 100k-message history costs what the newest does.
 */
export class MessagePaging {
  private readonly q

  constructor(db: Database.Database) {
    this.q = {
      get: db.prepare(`SELECT ${COLUMNS} FROM messages WHERE id = ?`),
      latest: db.prepare(`SELECT ${COLUMNS} FROM messages WHERE conversation_id = ? ORDER BY ts DESC, id DESC LIMIT ?`),
      older: db.prepare(
        `SELECT ${COLUMNS} FROM messages INDEXED BY messages_by_conversation
         WHERE conversation_id = @c AND ts <= @ts AND (ts < @ts OR id < @id) ORDER BY ts DESC, id DESC LIMIT @n`,
      ),
      newer: db.prepare(
        `SELECT ${COLUMNS} FROM messages INDEXED BY messages_by_conversation
         WHERE conversation_id = @c AND ts >= @ts AND (ts > @ts OR id > @id) ORDER BY ts, id LIMIT @n`,
      ),
      // With @incl the bound itself counts (a page that came back empty asks about its cursor).
      olderExists: db.prepare(
        `SELECT EXISTS (SELECT 1 FROM messages INDEXED BY messages_by_conversation
         WHERE conversation_id = @c AND ts <= @ts AND (ts < @ts OR id < @id OR (@incl AND id = @id))) AS yes`,
      ),
      newerExists: db.prepare(
        `SELECT EXISTS (SELECT 1 FROM messages INDEXED BY messages_by_conversation
         WHERE conversation_id = @c AND ts >= @ts AND (ts > @ts OR id > @id OR (@incl AND id = @id))) AS yes`,
      ),
      // The unseen index holds (conversation_id, rowid), and the rowid is the time key:
      // its first entry is in the oldest millisecond with an unseen message, found by a seek.
      oldestUnseenKey: db.prepare(
        `SELECT ts FROM messages INDEXED BY messages_unseen WHERE conversation_id = ? AND status = 'received' ORDER BY rowid LIMIT 1`,
      ),
      // Within that millisecond, the history's order decides (ties on ts go by id).
      oldestUnseenAt: db.prepare(
        `SELECT ts, id FROM messages INDEXED BY messages_by_conversation
         WHERE conversation_id = ? AND ts = ? AND status = 'received' ORDER BY id LIMIT 1`,
      ),
    }
  }

  page(conversationId: string, at: PagePosition | null | undefined, limit: number): MessagePage {
    const c = conversationId
    let messages: ChatMessage[]
    let hasMore: boolean
    let hasNewer: boolean
    if (at?.around) {
      const row = this.q.get.get(at.around) as MessageRow | undefined
      if (!row || row.conversation_id !== c) throw new ParleyError('That message is not in this conversation.', 'not-found')
      const bound = { c, ts: row.ts, id: row.id, n: limit + 1 }
      const older = this.q.older.all(bound) as MessageRow[]
      const newer = this.q.newer.all(bound) as MessageRow[]
      hasMore = older.length > limit
      hasNewer = newer.length > limit
      messages = [...older.slice(0, limit).reverse(), row, ...newer.slice(0, limit)].map(toMessage)
    } else if (at?.after) {
      const rows = this.q.newer.all({ c, ts: at.after.ts, id: at.after.id, n: limit + 1 }) as MessageRow[]
      hasNewer = rows.length > limit
      messages = rows.slice(0, limit).map(toMessage)
      hasMore = this.exists('older', c, messages[0] ?? at.after, messages.length === 0)
    } else if (at?.before) {
      const rows = this.q.older.all({ c, ts: at.before.ts, id: at.before.id, n: limit + 1 }) as MessageRow[]
      hasMore = rows.length > limit
      messages = rows.slice(0, limit).reverse().map(toMessage)
      hasNewer = this.exists('newer', c, messages.at(-1) ?? at.before, messages.length === 0)
    } else {
      const rows = this.q.latest.all(c, limit + 1) as MessageRow[]
      hasMore = rows.length > limit
      hasNewer = false
      messages = rows.slice(0, limit).reverse().map(toMessage)
    }
    return { messages, hasMore, hasNewer, firstUnread: this.firstUnread(c) }
  }

  /** The conversation's oldest incoming message not seen yet (where "N new messages" goes). */
  firstUnread(conversationId: string): PageCursor | null {
    const key = this.q.oldestUnseenKey.get(conversationId) as { ts: number } | undefined
    if (!key) return null
    const row = this.q.oldestUnseenAt.get(conversationId, key.ts) as { ts: number; id: string } | undefined
    return row ? cursorOf(row) : null
  }

  /** Whether the conversation has a message older/newer than `from` (or equal to it, with `inclusive`). */
  private exists(side: 'older' | 'newer', c: string, from: PageCursor, inclusive: boolean): boolean {
    const stmt = side === 'older' ? this.q.olderExists : this.q.newerExists
    return (stmt.get({ c, ts: from.ts, id: from.id, incl: inclusive ? 1 : 0 }) as { yes: number }).yes === 1
  }
}
