import type Database from 'better-sqlite3'
import type { ChatMessage, MessagePage, MessageStatus } from '../../../../shared/contract'
import type { PageCursor } from '../../../../shared/schemas'
import { MessagePaging, type PagePosition } from './paging'
import { MESSAGE_COLUMNS as COLUMNS, toMessage, type MessageRow } from './rows'
import { MESSAGE_KEY_SLOTS, messageKeyBase } from './time-key'

/** One stored message, as the engine writes it. */
export interface NewMessage {
  id: string
  conversationId: string
  sender: string
  senderDevice: string | null
  direction: 'in' | 'out'
  ts: number
  seq: number | null
  text: string
  status: MessageStatus
}

/** What an outgoing message's envelope is built from. */
export type OutgoingMessage = Pick<NewMessage, 'id' | 'conversationId' | 'senderDevice' | 'ts' | 'seq' | 'text'>

/** What the messages store needs from the conversations feature, inside the same transaction. */
export interface ConversationWriter {
  ensure(id: string, now: number, incoming: boolean): boolean
  touch(id: string, ts: number, unread: number): void
  remove(id: string): void
}

/**
 * How far along an outgoing message is: a receipt or an acknowledgement only ever
 * moves it forward (a late "delivered" never undoes "read").
 */
export const OUTGOING_RANK = `CASE status WHEN 'pending' THEN 0 WHEN 'failed' THEN 0 WHEN 'sent' THEN 1 WHEN 'delivered' THEN 2 WHEN 'read' THEN 3 ELSE 9 END`

/** The typed query layer over the messages table. */
export class MessageStore {
  private readonly q
  private readonly insertManyTx: (batch: readonly NewMessage[]) => ChatMessage[]
  /** Whether any deletion is remembered: only then does an insert look for one (the hot path). */
  private tombstones: boolean
  private paging: MessagePaging | undefined

  constructor(
    private readonly db: Database.Database,
    private readonly conversations: ConversationWriter,
  ) {
    this.insertManyTx = db.transaction((batch: readonly NewMessage[]) => this.insertBatch(batch))
    this.q = {
      // The rowid is the time key (time-key.ts): the next free one in the message's millisecond.
      insert: db.prepare(
        `INSERT INTO messages (rowid, id, conversation_id, sender, sender_device, direction, ts, seq, text, status, received_at)
         VALUES ((SELECT coalesce(max(rowid) + 1, ?) FROM messages WHERE rowid BETWEEN ? AND ?), ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT(id) DO NOTHING`,
      ),
      // A message deleted here stays deleted when it is delivered or offered again.
      insertUnlessDeleted: db.prepare(
        `INSERT INTO messages (rowid, id, conversation_id, sender, sender_device, direction, ts, seq, text, status, received_at)
         SELECT (SELECT coalesce(max(rowid) + 1, ?) FROM messages WHERE rowid BETWEEN ? AND ?), ?, ?, ?, ?, ?, ?, ?, ?, ?, ?
         WHERE NOT EXISTS (SELECT 1 FROM message_tombstones WHERE id = ?)
         ON CONFLICT(id) DO NOTHING`,
      ),
      insertAt: db.prepare(
        `INSERT INTO messages (rowid, id, conversation_id, sender, sender_device, direction, ts, seq, text, status, received_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(id) DO NOTHING`,
      ),
      // A full millisecond (a flood of messages claiming one ts): the key after the last one in a window (a seek, not a walk).
      lastKeyIn: db.prepare(`SELECT max(rowid) AS k FROM messages WHERE rowid BETWEEN ? AND ?`),
      keyTaken: db.prepare(`SELECT 1 FROM messages WHERE rowid = ?`),
      isTombstoned: db.prepare(`SELECT 1 FROM message_tombstones WHERE id = ?`),
      anyTombstone: db.prepare(`SELECT EXISTS (SELECT 1 FROM message_tombstones) AS yes`),
      tombstone: db.prepare(`INSERT OR REPLACE INTO message_tombstones (id, conversation_id, deleted_at) VALUES (?, ?, ?)`),
      tombstoneOf: db.prepare(`SELECT conversation_id FROM message_tombstones WHERE id = ?`),
      pruneTombstones: db.prepare(`DELETE FROM message_tombstones WHERE deleted_at < ?`),
      get: db.prepare(`SELECT ${COLUMNS} FROM messages WHERE id = ?`),
      // Only forward, and only for messages sent in the conversation the receipt came from.
      advance: db.prepare(
        `UPDATE messages SET status = @status, error = NULL
         WHERE id = @id AND conversation_id = @conversationId AND direction = 'out' AND ${OUTGOING_RANK} < @rank
         RETURNING ${COLUMNS}`,
      ),
      sent: db.prepare(`UPDATE messages SET status = 'sent', error = NULL WHERE id = ? AND status = 'pending' RETURNING ${COLUMNS}`),
      failed: db.prepare(`UPDATE messages SET status = 'failed', error = ? WHERE id = ? AND status = 'pending' RETURNING ${COLUMNS}`),
      retry: db.prepare(`UPDATE messages SET status = 'pending', error = NULL WHERE id = ? AND status = 'failed' RETURNING ${COLUMNS}`),
      remove: db.prepare(`DELETE FROM messages WHERE id = ? RETURNING conversation_id`),
      removeConversation: db.prepare(`DELETE FROM messages WHERE conversation_id = ? RETURNING id, direction`),
      unseen: db.prepare(`SELECT id FROM messages WHERE conversation_id = ? AND status = 'received' ORDER BY ts, id`),
      markSeen: db.prepare(`UPDATE messages SET status = 'seen' WHERE conversation_id = ? AND status = 'received'`),
      unseenUpTo: db.prepare(
        `SELECT id FROM messages WHERE conversation_id = @c AND status = 'received' AND (ts < @ts OR (ts = @ts AND id <= @id)) ORDER BY ts, id`,
      ),
      markSeenUpTo: db.prepare(
        `UPDATE messages SET status = 'seen' WHERE conversation_id = @c AND status = 'received' AND (ts < @ts OR (ts = @ts AND id <= @id))`,
      ),
      unseenCount: db.prepare(`SELECT count(*) AS n FROM messages WHERE conversation_id = ? AND status = 'received'`),
      pendingWithoutOutbox: db.prepare(
        `SELECT m.id, m.conversation_id AS conversationId, m.sender_device AS senderDevice, m.ts, m.seq, m.text FROM messages m
         WHERE m.status = 'pending' AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.owner = 'messages' AND o.ref = m.id)
         ORDER BY m.rowid`,
      ),
      nextCounter: db.prepare(
        `INSERT INTO counters (name, value) VALUES (?, 1)
         ON CONFLICT(name) DO UPDATE SET value = value + 1 RETURNING value`,
      ),
    }
    this.tombstones = (this.q.anyTombstone.get() as { yes: number }).yes === 1
  }

  /** Stores one message; false when its id is already stored (a re-delivery). */
  insert(m: NewMessage): boolean {
    return this.insertMany([m]).length === 1
  }

  /**
   * Stores a batch (the caller's transaction, or its own) with one conversation
   * update per conversation, and returns the messages that were new; re-deliveries
   * are skipped, and a conversation this batch created but stored nothing in (a
   * duplicate id from someone else) is removed again.
   */
  insertMany(batch: readonly NewMessage[]): ChatMessage[] {
    // The receive path calls this inside the router's transaction: no savepoint needed there.
    return this.db.inTransaction ? this.insertBatch(batch) : this.insertManyTx(batch)
  }

  private insertBatch(batch: readonly NewMessage[]): ChatMessage[] {
    const now = Date.now()
    const inserted: ChatMessage[] = []
    const touched = new Map<string, { ts: number; unread: number; created: boolean; stored: boolean }>()
    for (const m of batch) {
      let touch = touched.get(m.conversationId)
      if (!touch) {
        const created = this.conversations.ensure(m.conversationId, now, m.direction === 'in')
        touched.set(m.conversationId, (touch = { ts: 0, unread: 0, created, stored: false }))
      }
      if (this.insertRow(m, now) === 0) continue
      inserted.push({ id: m.id, conversationId: m.conversationId, sender: m.sender, direction: m.direction, ts: m.ts, text: m.text, status: m.status, error: null })
      touch.stored = true
      touch.ts = Math.max(touch.ts, m.ts)
      if (m.direction === 'in') touch.unread++
    }
    for (const [id, t] of touched) {
      if (t.stored) this.conversations.touch(id, t.ts, t.unread)
      else if (t.created) this.conversations.remove(id)
    }
    return inserted
  }

  /** Stores one row under its time key; 0 when the id is already here (or deleted here). */
  private insertRow(m: NewMessage, now: number): number {
    const base = messageKeyBase(m.ts)
    const last = base + MESSAGE_KEY_SLOTS - 1
    try {
      // Positional parameters: this is the receive hot path, and binding by name costs an object per row.
      return this.tombstones
        ? this.q.insertUnlessDeleted.run(base, base, last, m.id, m.conversationId, m.sender, m.senderDevice, m.direction, m.ts, m.seq, m.text, m.status, now, m.id).changes
        : this.q.insert.run(base, base, last, m.id, m.conversationId, m.sender, m.senderDevice, m.direction, m.ts, m.seq, m.text, m.status, now).changes
    } catch (err) {
      // A millisecond with all its slots taken: the next free key after it (ordering moves by a hair, nothing is lost).
      if ((err as { code?: string }).code !== 'SQLITE_CONSTRAINT_PRIMARYKEY') throw err
      if (this.q.get.get(m.id) || (this.tombstones && this.q.isTombstoned.get(m.id))) return 0
      const key = this.spillKey(base)
      return this.q.insertAt.run(key, m.id, m.conversationId, m.sender, m.senderDevice, m.direction, m.ts, m.seq, m.text, m.status, now).changes
    }
  }

  /**
   * A free key after the full millisecond at `base`: the one after the last key of a
   * window that doubles until that key is free. Each step is one seek, so a flood of
   * n messages in one millisecond costs O(n log n), not a walk over every key taken
   * before it (O(n²): 8,000 took seconds of the receive path's transaction).
   */
  private spillKey(base: number): number {
    for (let width = 2 * MESSAGE_KEY_SLOTS; ; width *= 2) {
      const last = (this.q.lastKeyIn.get(base, base + width - 1) as { k: number | null }).k ?? base - 1
      if (last + 1 < base + width || !this.q.keyTaken.get(last + 1)) return last + 1
    }
  }

  get(id: string): ChatMessage | null {
    const row = this.q.get.get(id) as MessageRow | undefined
    return row ? toMessage(row) : null
  }

  /** A page of a conversation: the newest, or before/after/around a message (paging.ts). */
  page(conversationId: string, at: PagePosition | null | undefined, limit: number): MessagePage {
    this.paging ??= new MessagePaging(this.db)
    return this.paging.page(conversationId, at, limit)
  }

  /** pending → sent; null when it was not pending. */
  markSent(id: string): ChatMessage | null {
    const row = this.q.sent.get(id) as MessageRow | undefined
    return row ? toMessage(row) : null
  }

  markFailed(id: string, reason: string): ChatMessage | null {
    const row = this.q.failed.get(reason, id) as MessageRow | undefined
    return row ? toMessage(row) : null
  }

  markRetry(id: string): ChatMessage | null {
    const row = this.q.retry.get(id) as MessageRow | undefined
    return row ? toMessage(row) : null
  }

  /** Moves outgoing messages of `conversationId` forward to `status`; returns those that changed. */
  advance(conversationId: string, ids: readonly string[], status: 'delivered' | 'read'): ChatMessage[] {
    const rank = status === 'delivered' ? 2 : 3
    const changed: ChatMessage[] = []
    for (const id of ids) {
      const row = this.q.advance.get({ id, status, conversationId, rank }) as MessageRow | undefined
      if (row) changed.push(toMessage(row))
    }
    return changed
  }

  /** Deletes a message and remembers its id; returns its conversation, or null when there was none. */
  remove(id: string): string | null {
    const row = this.q.remove.get(id) as { conversation_id: string } | undefined
    if (row) {
      this.q.tombstone.run(id, row.conversation_id, Date.now())
      this.tombstones = true
    }
    return row?.conversation_id ?? null
  }

  /**
   * Deletes a conversation with all its messages, remembering their ids (so what is
   * offered again stays out, and is still acknowledged); returns the ids of mine.
   */
  removeConversation(conversationId: string): string[] {
    const now = Date.now()
    const rows = this.q.removeConversation.all(conversationId) as { id: string; direction: 'in' | 'out' }[]
    for (const r of rows) this.q.tombstone.run(r.id, conversationId, now)
    if (rows.length) this.tombstones = true
    this.conversations.remove(conversationId)
    return rows.filter((r) => r.direction === 'out').map((r) => r.id)
  }

  /** The conversation a message id belongs to, here or among the deleted; null when unknown. */
  conversationOf(id: string): string | null {
    const row = (this.q.get.get(id) ?? this.q.tombstoneOf.get(id)) as { conversation_id: string } | undefined
    return row?.conversation_id ?? null
  }

  /** Forgets deletions older than `before` (ms since epoch). */
  pruneTombstones(before: number): void {
    this.q.pruneTombstones.run(before)
    this.tombstones = (this.q.anyTombstone.get() as { yes: number }).yes === 1
  }

  /**
   * Marks the conversation's incoming messages seen (with `upTo`, only those up to
   * that message in the history's order) and returns their ids (for a read receipt).
   */
  markSeen(conversationId: string, upTo?: PageCursor): string[] {
    if (upTo) {
      const bound = { c: conversationId, ts: upTo.ts, id: upTo.id }
      const ids = (this.q.unseenUpTo.all(bound) as { id: string }[]).map((r) => r.id)
      if (ids.length) this.q.markSeenUpTo.run(bound)
      return ids
    }
    const ids = (this.q.unseen.all(conversationId) as { id: string }[]).map((r) => r.id)
    if (ids.length) this.q.markSeen.run(conversationId)
    return ids
  }

  /** How many incoming messages of the conversation are not seen yet. */
  unseenCount(conversationId: string): number {
    return (this.q.unseenCount.get(conversationId) as { n: number }).n
  }

  /** Pending messages that have no outbox entry (written before the kernel had an outbox). */
  pendingWithoutOutbox(): OutgoingMessage[] {
    return this.q.pendingWithoutOutbox.all() as OutgoingMessage[]
  }

  nextSequence(name: string): number {
    return (this.q.nextCounter.get(name) as { value: number }).value
  }

  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn)()
  }
}
