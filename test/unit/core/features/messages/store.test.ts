import type Database from 'better-sqlite3'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { ConversationStore } from '../../../../../src/main/core/features/conversations/store'
import type { MessageStore, NewMessage } from '../../../../../src/main/core/features/messages/store'
import { MESSAGE_KEY_SLOTS, messageKeyBase } from '../../../../../src/main/core/features/messages/time-key'
import { msg, openStores, T } from '../stores'

describe('MessageStore', () => {
  let db: Database.Database
  let store: MessageStore
  let conversations: ConversationStore

  beforeEach(() => {
    ;({ db, messages: store, conversations } = openStores())
  })
  afterEach(() => db.close())

  const out = (over: Partial<NewMessage> & { peer?: string } = {}) => msg({ peer: 'bob', sender: 'me', direction: 'out', status: 'pending', ...over })

  describe('insert', () => {
    it('stores a message and creates its conversation', () => {
      const m = msg({ text: 'hello' })
      expect(store.insert(m)).toBe(true)
      expect(store.get(m.id)).toEqual({
        id: m.id,
        conversationId: 'dm:alice',
        sender: 'alice',
        direction: 'in',
        ts: m.ts,
        text: 'hello',
        status: 'received',
        error: null,
      })
      expect(conversations.get('dm:alice')).toMatchObject({ id: 'dm:alice', kind: 'dm', peer: 'alice', title: 'alice', unread: 1 })
    })

    it('keys each row by time: rowid order is (ts, arrival) order, also for a flood claiming one millisecond', () => {
      const late = msg({ ts: T + 5000, text: 'late' })
      const early = msg({ ts: T, text: 'early' })
      const flood = Array.from({ length: MESSAGE_KEY_SLOTS + 20 }, (_, i) => msg({ ts: T + 1000, text: `same ms ${i}` }))
      expect(store.insertMany([late, early, ...flood]).length).toBe(flood.length + 2)
      const rows = db.prepare(`SELECT rowid AS k, id, ts FROM messages ORDER BY rowid`).all() as { k: number; id: string; ts: number }[]
      expect(rows.length).toBe(flood.length + 2)
      expect(rows[0]).toMatchObject({ id: early.id, k: messageKeyBase(T) })
      expect(rows.at(-1)).toMatchObject({ id: late.id, k: messageKeyBase(T + 5000) })
      expect(rows.slice(1, -1).map((r) => r.id)).toEqual(flood.map((m) => m.id))
      // A re-delivery of a message of the full millisecond is still a no-op.
      expect(store.insert(flood.at(-1)!)).toBe(false)
    })

    it('a flood of 16,000 messages claiming one millisecond (a sender clock stuck at 0) is stored in time proportional to it', () => {
      // Finding the next free key used to walk every key the flood had taken (quadratic: 8,000 took ~4 s, 16,000 ~15 s).
      const flood = Array.from({ length: 16_000 }, (_, i) => msg({ ts: 0, text: `stuck clock ${i}` }))
      const started = performance.now()
      expect(store.insertMany(flood).length).toBe(flood.length)
      expect(performance.now() - started).toBeLessThan(3000)
      const ids = (db.prepare(`SELECT id FROM messages ORDER BY rowid`).all() as { id: string }[]).map((r) => r.id)
      expect(ids).toEqual(flood.map((m) => m.id))
    })

    it('more messages than a millisecond has keys, dated past the last keyed millisecond (an imported ts of 8.64e15), are all stored', () => {
      // Their spilled keys went past 2^53, came back rounded from SQLite and collided: the whole batch failed.
      const far = Array.from({ length: MESSAGE_KEY_SLOTS + 10 }, (_, i) => msg({ ts: 8.64e15, text: `far ${i}` }))
      expect(store.insertMany(far).length).toBe(far.length)
      const keys = (db.prepare(`SELECT rowid AS k FROM messages ORDER BY rowid`).all() as { k: number }[]).map((r) => r.k)
      expect(new Set(keys).size).toBe(far.length)
      expect(keys.every((k) => Number.isSafeInteger(k))).toBe(true)
    })

    it('a duplicate message id is ignored: nothing changes, not even the unread count', () => {
      const m = msg({ text: 'first' })
      expect(store.insert(m)).toBe(true)
      expect(store.insert({ ...m, text: 'second' })).toBe(false)
      expect(store.insertMany([m, m])).toEqual([])
      expect(store.get(m.id)?.text).toBe('first')
      expect(conversations.get('dm:alice')?.unread).toBe(1)
      expect(store.page('dm:alice', null, 50).messages).toHaveLength(1)
    })

    it('a duplicate id from another sender stores nothing and leaves no empty conversation behind', () => {
      const m = msg({ text: 'from alice' })
      store.insert(m)
      const before = conversations.get('dm:alice')
      expect(store.insertMany([{ ...m, conversationId: 'dm:mallory', sender: 'mallory', text: 'hijack' }])).toEqual([])
      expect(conversations.get('dm:mallory')).toBeNull()
      expect(conversations.list().map((c) => c.id)).toEqual(['dm:alice'])
      expect(store.get(m.id)).toMatchObject({ conversationId: 'dm:alice', sender: 'alice', text: 'from alice' })
      expect(conversations.get('dm:alice')).toEqual(before)
      // In a batch with a genuine message from mallory, the conversation is kept.
      const real = msg({ peer: 'mallory' })
      expect(store.insertMany([{ ...m, conversationId: 'dm:mallory', sender: 'mallory' }, real]).map((x) => x.id)).toEqual([real.id])
      expect(conversations.get('dm:mallory')).toMatchObject({ unread: 1, lastMessage: { id: real.id } })
    })

    it('a duplicate id does not remove a conversation that already existed', () => {
      const m = msg()
      store.insert(m)
      conversations.ensure('dm:carol')
      expect(store.insert({ ...m, conversationId: 'dm:carol', sender: 'carol' })).toBe(false)
      expect(conversations.get('dm:carol')).toMatchObject({ id: 'dm:carol', lastMessage: null })
    })

    it('insertMany returns only the new messages of a batch, in order', () => {
      const a = msg()
      store.insert(a)
      const b = msg()
      const c = msg({ peer: 'bob' })
      const inserted = store.insertMany([a, b, c, b])
      expect(inserted.map((m) => m.id)).toEqual([b.id, c.id])
      expect(conversations.get('dm:alice')?.unread).toBe(2)
      expect(conversations.get('dm:bob')?.unread).toBe(1)
    })

    it('get of an unknown id is null', () => {
      expect(store.get('nope')).toBeNull()
      expect(conversations.get('dm:nobody')).toBeNull()
    })

    it('refuses a conversation id that is not one', () => {
      expect(() => store.insert(msg({ conversationId: 'alice' }))).toThrow(/not a conversation id/)
      expect(conversations.list()).toEqual([])
    })
  })

  describe('outgoing status', () => {
    it('pendingWithoutOutbox lists pending messages oldest first (by time key), skipping those already in the outbox', () => {
      const out1 = out({ text: 'one' })
      const sent = out({ status: 'sent' })
      const out2 = out({ peer: 'carol', text: 'two', seq: null, senderDevice: null })
      const incoming = msg()
      const out3 = out({ text: 'three', ts: 1 })
      for (const m of [out1, sent, out2, incoming, out3]) store.insert(m)
      const box = store.pendingWithoutOutbox()
      expect(box.map((o) => o.id)).toEqual([out3.id, out1.id, out2.id])
      // Exactly what an envelope is built from, nothing more.
      expect(box[1]).toEqual({ id: out1.id, conversationId: 'dm:bob', senderDevice: 'dev-a', ts: out1.ts, seq: out1.seq, text: 'one' })
      expect(box[2]).toEqual({ id: out2.id, conversationId: 'dm:carol', senderDevice: null, ts: out2.ts, seq: null, text: 'two' })
      db.prepare(`INSERT INTO outbox (owner, ref, topic, payload, state, created_at) VALUES ('messages', ?, 't', x'00', 'queued', 1)`).run(out2.id)
      db.prepare(`INSERT INTO outbox (owner, ref, topic, payload, state, created_at) VALUES ('receipts', ?, 't', x'00', 'queued', 1)`).run(out3.id)
      expect(store.pendingWithoutOutbox().map((o) => o.id)).toEqual([out3.id, out1.id])
    })

    it('markSent moves a pending message to sent, once', () => {
      const m = out()
      store.insert(m)
      expect(store.markSent(m.id)).toMatchObject({ id: m.id, status: 'sent', error: null })
      expect(store.get(m.id)?.status).toBe('sent')
      expect(store.pendingWithoutOutbox()).toEqual([])
      expect(store.markSent(m.id)).toBeNull()
      expect(store.markSent('unknown')).toBeNull()
    })

    it('markSent does not touch a received message', () => {
      const m = msg()
      store.insert(m)
      expect(store.markSent(m.id)).toBeNull()
      expect(store.get(m.id)?.status).toBe('received')
    })

    it('markFailed keeps the reason; markRetry puts it back to pending and clears it; neither touches other states', () => {
      const m = out()
      store.insert(m)
      expect(store.markFailed(m.id, 'The broker refused the topic name.')).toMatchObject({ status: 'failed', error: 'The broker refused the topic name.' })
      expect(store.get(m.id)).toMatchObject({ status: 'failed', error: 'The broker refused the topic name.' })
      expect(store.markFailed(m.id, 'again')).toBeNull() // only a pending message can fail
      expect(store.get(m.id)?.error).toBe('The broker refused the topic name.')
      expect(store.markRetry(m.id)).toMatchObject({ status: 'pending', error: null })
      expect(store.markRetry(m.id)).toBeNull() // only a failed one is retried
      expect(store.markSent(m.id)?.status).toBe('sent')
      expect(store.markFailed(m.id, 'late')).toBeNull()
      expect(store.markRetry(m.id)).toBeNull()
      const incoming = msg()
      store.insert(incoming)
      expect(store.markFailed(incoming.id, 'x')).toBeNull()
      expect(store.markRetry('unknown')).toBeNull()
    })
  })

  describe('advance (receipts)', () => {
    it('moves sent → delivered → read, and never back', () => {
      const m = out({ status: 'sent' })
      store.insert(m)
      expect(store.advance('dm:bob', [m.id], 'delivered').map((x) => [x.id, x.status])).toEqual([[m.id, 'delivered']])
      expect(store.advance('dm:bob', [m.id], 'delivered')).toEqual([])
      expect(store.advance('dm:bob', [m.id], 'read').map((x) => x.status)).toEqual(['read'])
      expect(store.advance('dm:bob', [m.id], 'delivered')).toEqual([]) // a late "delivered" does not undo "read"
      expect(store.advance('dm:bob', [m.id], 'read')).toEqual([])
      expect(store.get(m.id)?.status).toBe('read')
    })

    it('a receipt may skip ahead: pending or failed straight to read (the ack was lost), clearing the error', () => {
      const p = out()
      const f = out()
      store.insertMany([p, f])
      store.markFailed(f.id, 'refused')
      expect(store.advance('dm:bob', [p.id, f.id], 'read').map((x) => [x.status, x.error])).toEqual([
        ['read', null],
        ['read', null],
      ])
    })

    it("only moves my messages in the receipt sender's conversation", () => {
      const toBob = out({ status: 'sent' })
      const toCarol = out({ peer: 'carol', status: 'sent' })
      const fromBob = msg({ peer: 'bob' })
      store.insertMany([toBob, toCarol, fromBob])
      // carol cannot mark what I sent bob, and nobody can mark incoming messages.
      expect(store.advance('dm:carol', [toBob.id, fromBob.id], 'read')).toEqual([])
      expect(store.advance('dm:bob', [toCarol.id, fromBob.id, 'unknown'], 'read')).toEqual([])
      expect(store.get(toBob.id)?.status).toBe('sent')
      expect(store.get(toCarol.id)?.status).toBe('sent')
      expect(store.get(fromBob.id)?.status).toBe('received')
      expect(store.advance('dm:bob', [toBob.id, toCarol.id], 'delivered').map((x) => x.id)).toEqual([toBob.id])
    })
  })

  describe('seen, remove, counters and transactions', () => {
    it('markSeen returns the unseen incoming ids of one conversation, once', () => {
      const a = msg()
      const b = msg()
      const other = msg({ peer: 'bob' })
      store.insertMany([b, a, other, out({ peer: 'alice', status: 'sent' })])
      expect(store.markSeen('dm:alice')).toEqual([a.id, b.id])
      expect(store.get(a.id)?.status).toBe('seen')
      expect(store.markSeen('dm:alice')).toEqual([])
      expect(store.get(other.id)?.status).toBe('received')
    })

    it('remove deletes one message and returns its conversation', () => {
      const m = msg()
      store.insert(m)
      expect(store.remove(m.id)).toBe('dm:alice')
      expect(store.get(m.id)).toBeNull()
      expect(store.remove(m.id)).toBeNull()
    })

    it('nextSequence counts up per name', () => {
      expect(store.nextSequence('out')).toBe(1)
      expect(store.nextSequence('out')).toBe(2)
      expect(store.nextSequence('other')).toBe(1)
    })

    it('a throwing transaction leaves nothing behind', () => {
      expect(() =>
        store.transaction(() => {
          store.nextSequence('out')
          store.insert(msg())
          throw new Error('boom')
        }),
      ).toThrow('boom')
      expect(conversations.list()).toEqual([])
      expect(store.nextSequence('out')).toBe(1)
    })
  })
})
