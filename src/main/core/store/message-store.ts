import type Database from 'better-sqlite3'
import type { ChatMessage, ConversationSummary, MessagePage, MessageStatus } from '../../../shared/contract'
import type { PageCursor } from '../../../shared/schemas'
import { dmConversationId } from '../../../shared/topics'

/** One stored message, as the engine writes it. */
export interface NewMessage {
  id: string
  peer: string
  sender: string
  senderDevice: string | null
  direction: 'in' | 'out'
  ts: number
  seq: number | null
  text: string
  status: MessageStatus
}

interface MessageRow {
  id: string
  conversation_id: string
  sender: string
  direction: 'in' | 'out'
  ts: number
  text: string
  status: MessageStatus
}

interface ConversationRow {
  id: string
  peer: string
  title: string
  unread: number
  updated_at: number
  last_id: string | null
  last_text: string | null
  last_ts: number | null
  last_sender: string | null
  last_direction: 'in' | 'out' | null
  last_status: MessageStatus | null
}

export interface OutboxItem {
  rowid: number
  id: string
  peer: string
  senderDevice: string | null
  ts: number
  seq: number | null
  text: string
}

const toMessage = (r: MessageRow): ChatMessage => ({
  id: r.id,
  conversationId: r.conversation_id,
  sender: r.sender,
  direction: r.direction,
  ts: r.ts,
  text: r.text,
  status: r.status,
})

const toSummary = (r: ConversationRow): ConversationSummary => ({
  id: r.id,
  kind: 'dm',
  peer: r.peer,
  title: r.title,
  unread: r.unread,
  updatedAt: r.updated_at,
  lastMessage:
    r.last_id === null
      ? null
      : {
          id: r.last_id,
          text: r.last_text!,
          ts: r.last_ts!,
          sender: r.last_sender!,
          direction: r.last_direction!,
          status: r.last_status!,
        },
})

const CONVERSATION_SELECT = `
  SELECT c.id, c.peer, c.title, c.unread, c.updated_at,
         m.id AS last_id, m.text AS last_text, m.ts AS last_ts, m.sender AS last_sender,
         m.direction AS last_direction, m.status AS last_status
  FROM conversations c
  LEFT JOIN messages m ON m.rowid = (
    SELECT rowid FROM messages WHERE conversation_id = c.id ORDER BY ts DESC, id DESC LIMIT 1
  )`

/** The typed query layer over history.db; the only place that writes SQL for messages. */
export class MessageStore {
  private readonly q

  constructor(private readonly db: Database.Database) {
    this.q = {
      ensureConversation: db.prepare(
        `INSERT INTO conversations (id, kind, peer, title, unread, updated_at, created_at)
         VALUES (@id, 'dm', @peer, @peer, 0, @now, @now) ON CONFLICT(id) DO NOTHING`,
      ),
      insertMessage: db.prepare(
        `INSERT INTO messages (id, conversation_id, sender, sender_device, direction, ts, seq, text, status, received_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT(id) DO NOTHING`,
      ),
      touchConversation: db.prepare(
        `UPDATE conversations SET updated_at = max(updated_at, @ts), unread = unread + @unread WHERE id = @id`,
      ),
      conversation: db.prepare(`${CONVERSATION_SELECT} WHERE c.id = ?`),
      conversations: db.prepare(`${CONVERSATION_SELECT} ORDER BY c.updated_at DESC, c.id`),
      markRead: db.prepare(`UPDATE conversations SET unread = 0 WHERE id = ? AND unread <> 0`),
      message: db.prepare(`SELECT id, conversation_id, sender, direction, ts, text, status FROM messages WHERE id = ?`),
      pageLatest: db.prepare(
        `SELECT id, conversation_id, sender, direction, ts, text, status FROM messages
         WHERE conversation_id = ? ORDER BY ts DESC, id DESC LIMIT ?`,
      ),
      pageBefore: db.prepare(
        `SELECT id, conversation_id, sender, direction, ts, text, status FROM messages
         WHERE conversation_id = ? AND (ts < ? OR (ts = ? AND id < ?)) ORDER BY ts DESC, id DESC LIMIT ?`,
      ),
      markSent: db.prepare(`UPDATE messages SET status = 'sent' WHERE id = ? AND status = 'pending'`),
      outbox: db.prepare(
        `SELECT m.rowid, m.id, c.peer, m.sender_device AS senderDevice, m.ts, m.seq, m.text
         FROM messages m JOIN conversations c ON c.id = m.conversation_id
         WHERE m.status = 'pending' ORDER BY m.rowid`,
      ),
      nextCounter: db.prepare(
        `INSERT INTO counters (name, value) VALUES (?, 1)
         ON CONFLICT(name) DO UPDATE SET value = value + 1 RETURNING value`,
      ),
    }
  }

  /** Creates the 1:1 conversation if it does not exist, and returns it. */
  openConversation(peer: string): ConversationSummary {
    const id = dmConversationId(peer)
    this.q.ensureConversation.run({ id, peer, now: Date.now() })
    return this.getConversation(id)!
  }

  getConversation(id: string): ConversationSummary | null {
    const row = this.q.conversation.get(id) as ConversationRow | undefined
    return row ? toSummary(row) : null
  }

  listConversations(): ConversationSummary[] {
    return (this.q.conversations.all() as ConversationRow[]).map(toSummary)
  }

  /** Returns true when the conversation had unread messages. */
  markRead(conversationId: string): boolean {
    return this.q.markRead.run(conversationId).changes > 0
  }

  /**
   * Stores one message and updates its conversation. Returns false when a message
   * with this id is already stored (a re-delivery), in which case nothing changes.
   */
  insert(m: NewMessage): boolean {
    return this.insertMany([m]).length === 1
  }

  /**
   * Stores a batch in one transaction (one commit, one conversation update per
   * conversation) and returns the ids that were new; re-deliveries are skipped.
   */
  insertMany(batch: readonly NewMessage[]): ChatMessage[] {
    return this.db.transaction(() => {
      const now = Date.now()
      const inserted: ChatMessage[] = []
      const touched = new Map<string, { ts: number; unread: number }>()
      for (const m of batch) {
        const conversationId = dmConversationId(m.peer)
        let touch = touched.get(conversationId)
        if (!touch) {
          this.q.ensureConversation.run({ id: conversationId, peer: m.peer, now })
          touched.set(conversationId, (touch = { ts: 0, unread: 0 }))
        }
        // Positional parameters: this is the receive hot path, and binding by name costs an object per row.
        if (this.q.insertMessage.run(m.id, conversationId, m.sender, m.senderDevice, m.direction, m.ts, m.seq, m.text, m.status, now).changes === 0) continue
        inserted.push({ id: m.id, conversationId, sender: m.sender, direction: m.direction, ts: m.ts, text: m.text, status: m.status })
        touch.ts = Math.max(touch.ts, m.ts)
        if (m.direction === 'in') touch.unread++
      }
      for (const [id, t] of touched) this.q.touchConversation.run({ id, ts: t.ts, unread: t.unread })
      return inserted
    })()
  }

  getMessage(id: string): ChatMessage | null {
    const row = this.q.message.get(id) as MessageRow | undefined
    return row ? toMessage(row) : null
  }

  page(conversationId: string, before: PageCursor | null | undefined, limit: number): MessagePage {
    const rows = (
      before
        ? this.q.pageBefore.all(conversationId, before.ts, before.ts, before.id, limit + 1)
        : this.q.pageLatest.all(conversationId, limit + 1)
    ) as MessageRow[]
    const hasMore = rows.length > limit
    return { messages: rows.slice(0, limit).reverse().map(toMessage), hasMore }
  }

  /** Returns true when the message was pending and is now sent. */
  markSent(id: string): boolean {
    return this.q.markSent.run(id).changes > 0
  }

  outbox(): OutboxItem[] {
    return this.q.outbox.all() as OutboxItem[]
  }

  nextSequence(name: string): number {
    return (this.q.nextCounter.get(name) as { value: number }).value
  }

  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn)()
  }
}
