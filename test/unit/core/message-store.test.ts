import Database from 'better-sqlite3'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { migrate } from '../../../src/main/core/store/migrate'
import { MessageStore, type NewMessage } from '../../../src/main/core/store/message-store'

/** Message timestamps in the future, so they (not the conversation's creation time) decide the order. */
const T = Date.now() + 1_000_000

let n = 0
function msg(over: Partial<NewMessage> = {}): NewMessage {
  n++
  return {
    id: `00000000-0000-7000-8000-${String(n).padStart(12, '0')}`,
    peer: 'alice',
    sender: 'alice',
    senderDevice: 'dev-a',
    direction: 'in',
    ts: T + n,
    seq: n,
    text: `message ${n}`,
    status: 'received',
    ...over,
  }
}

describe('MessageStore', () => {
  let db: Database.Database
  let store: MessageStore

  beforeEach(() => {
    db = new Database(':memory:')
    db.pragma('foreign_keys = ON')
    migrate(db)
    store = new MessageStore(db)
  })
  afterEach(() => db.close())

  describe('insert', () => {
    it('stores a message and creates its conversation', () => {
      const m = msg({ text: 'hello' })
      expect(store.insert(m)).toBe(true)
      expect(store.getMessage(m.id)).toEqual({
        id: m.id,
        conversationId: 'dm:alice',
        sender: 'alice',
        direction: 'in',
        ts: m.ts,
        text: 'hello',
        status: 'received',
      })
      expect(store.getConversation('dm:alice')).toMatchObject({ id: 'dm:alice', kind: 'dm', peer: 'alice', title: 'alice', unread: 1 })
    })

    it('a duplicate message id is ignored: nothing changes, not even the unread count', () => {
      const m = msg({ text: 'first' })
      expect(store.insert(m)).toBe(true)
      expect(store.insert({ ...m, text: 'second' })).toBe(false)
      expect(store.insertMany([m, m])).toEqual([])
      expect(store.getMessage(m.id)?.text).toBe('first')
      expect(store.getConversation('dm:alice')?.unread).toBe(1)
      expect(store.page('dm:alice', null, 50).messages).toHaveLength(1)
    })

    it('insertMany returns only the new messages of a batch, in order', () => {
      const a = msg()
      store.insert(a)
      const b = msg()
      const c = msg({ peer: 'bob', sender: 'bob' })
      const inserted = store.insertMany([a, b, c, b])
      expect(inserted.map((m) => m.id)).toEqual([b.id, c.id])
      expect(store.getConversation('dm:alice')?.unread).toBe(2)
      expect(store.getConversation('dm:bob')?.unread).toBe(1)
    })

    it('getMessage of an unknown id is null', () => {
      expect(store.getMessage('nope')).toBeNull()
      expect(store.getConversation('dm:nobody')).toBeNull()
    })
  })

  describe('paging', () => {
    let all: NewMessage[]
    beforeEach(() => {
      all = Array.from({ length: 7 }, () => msg())
      // Inserted out of order: the page order comes from (ts, id), not insertion.
      store.insertMany([...all].reverse())
      store.insert(msg({ peer: 'bob', sender: 'bob' }))
    })

    it('returns the latest `limit` messages, oldest first, with hasMore', () => {
      const p = store.page('dm:alice', null, 3)
      expect(p.messages.map((m) => m.id)).toEqual(all.slice(4).map((m) => m.id))
      expect(p.hasMore).toBe(true)
    })

    it('pages back with the oldest message as the `before` cursor until hasMore is false', () => {
      const seen: string[] = []
      let before: { ts: number; id: string } | null = null
      let pages = 0
      for (;;) {
        const p = store.page('dm:alice', before, 3)
        pages++
        seen.unshift(...p.messages.map((m) => m.id))
        if (!p.hasMore) break
        const first = p.messages[0]!
        before = { ts: first.ts, id: first.id }
      }
      expect(pages).toBe(3)
      expect(seen).toEqual(all.map((m) => m.id))
    })

    it('a page exactly as big as what is left has hasMore false', () => {
      expect(store.page('dm:alice', null, 7)).toMatchObject({ hasMore: false })
      expect(store.page('dm:alice', null, 7).messages).toHaveLength(7)
      expect(store.page('dm:alice', null, 6).hasMore).toBe(true)
    })

    it('breaks timestamp ties by id, so equal timestamps are not skipped or repeated', () => {
      const ts = T + 10_000
      const same = [msg({ peer: 'carol', sender: 'carol', ts }), msg({ peer: 'carol', sender: 'carol', ts }), msg({ peer: 'carol', sender: 'carol', ts })]
      store.insertMany(same)
      const p1 = store.page('dm:carol', null, 2)
      expect(p1.messages.map((m) => m.id)).toEqual([same[1]!.id, same[2]!.id])
      const p2 = store.page('dm:carol', { ts, id: same[1]!.id }, 2)
      expect(p2).toEqual({ messages: [store.getMessage(same[0]!.id)], hasMore: false })
    })

    it('an unknown conversation is an empty page', () => {
      expect(store.page('dm:nobody', null, 10)).toEqual({ messages: [], hasMore: false })
    })
  })

  describe('unread', () => {
    it('counts incoming messages only, and markRead clears them', () => {
      store.insertMany([msg(), msg(), msg({ direction: 'out', sender: 'me', status: 'sent' })])
      expect(store.getConversation('dm:alice')?.unread).toBe(2)
      expect(store.markRead('dm:alice')).toBe(true)
      expect(store.getConversation('dm:alice')?.unread).toBe(0)
      expect(store.markRead('dm:alice')).toBe(false)
      expect(store.markRead('dm:nobody')).toBe(false)
      store.insert(msg())
      expect(store.getConversation('dm:alice')?.unread).toBe(1)
    })
  })

  describe('outbox', () => {
    it('lists pending outgoing messages in the order they were written, with their peer', () => {
      const out1 = msg({ peer: 'bob', sender: 'me', direction: 'out', status: 'pending', text: 'one' })
      const sent = msg({ peer: 'bob', sender: 'me', direction: 'out', status: 'sent' })
      const out2 = msg({ peer: 'carol', sender: 'me', direction: 'out', status: 'pending', text: 'two', seq: null, senderDevice: null })
      const incoming = msg()
      const out3 = msg({ peer: 'bob', sender: 'me', direction: 'out', status: 'pending', text: 'three', ts: 1 })
      for (const m of [out1, sent, out2, incoming, out3]) store.insert(m)
      const box = store.outbox()
      expect(box.map((o) => o.id)).toEqual([out1.id, out2.id, out3.id])
      expect(box[0]).toMatchObject({ id: out1.id, peer: 'bob', senderDevice: 'dev-a', ts: out1.ts, seq: out1.seq, text: 'one' })
      expect(box[1]).toMatchObject({ peer: 'carol', senderDevice: null, seq: null, text: 'two' })
    })

    it('markSent moves a pending message out of the outbox, once', () => {
      const m = msg({ peer: 'bob', sender: 'me', direction: 'out', status: 'pending' })
      store.insert(m)
      expect(store.markSent(m.id)).toBe(true)
      expect(store.getMessage(m.id)?.status).toBe('sent')
      expect(store.outbox()).toEqual([])
      expect(store.markSent(m.id)).toBe(false)
      expect(store.markSent('unknown')).toBe(false)
    })

    it('markSent does not touch a received message', () => {
      const m = msg()
      store.insert(m)
      expect(store.markSent(m.id)).toBe(false)
      expect(store.getMessage(m.id)?.status).toBe('received')
    })
  })

  describe('conversations', () => {
    it('an opened conversation without messages has no lastMessage', () => {
      const c = store.openConversation('李雷')
      expect(c).toMatchObject({ id: 'dm:李雷', peer: '李雷', title: '李雷', unread: 0, lastMessage: null })
      expect(store.openConversation('李雷')).toEqual(c) // idempotent
    })

    it('are ordered by latest activity, each with its last message', () => {
      const a1 = msg({ peer: 'alice', sender: 'alice', ts: T + 100 })
      const b1 = msg({ peer: 'bob', sender: 'bob', ts: T + 200 })
      const c1 = msg({ peer: 'carol', sender: 'carol', ts: T + 300 })
      store.insertMany([a1, b1, c1])
      expect(store.listConversations().map((c) => c.peer)).toEqual(['carol', 'bob', 'alice'])

      const a2 = msg({ peer: 'alice', sender: 'me', direction: 'out', status: 'pending', ts: T + 400, text: 'latest' })
      store.insert(a2)
      const list = store.listConversations()
      expect(list.map((c) => c.peer)).toEqual(['alice', 'carol', 'bob'])
      expect(list[0]).toMatchObject({
        updatedAt: T + 400,
        unread: 1,
        lastMessage: { id: a2.id, text: 'latest', ts: T + 400, sender: 'me', direction: 'out', status: 'pending' },
      })
      expect(list[1]!.lastMessage?.id).toBe(c1.id)
    })

    it('a late-arriving older message does not move a conversation back or become its last message', () => {
      const newer = msg({ ts: T + 500 })
      const older = msg({ ts: T + 50 })
      store.insert(newer)
      store.insert(older)
      const c = store.getConversation('dm:alice')!
      expect(c.updatedAt).toBe(T + 500)
      expect(c.lastMessage?.id).toBe(newer.id)
    })
  })

  describe('sequence counters and transactions', () => {
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
      expect(store.listConversations()).toEqual([])
      expect(store.nextSequence('out')).toBe(1)
    })
  })
})
