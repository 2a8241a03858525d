import type Database from 'better-sqlite3'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { MessageStore, NewMessage } from '../../../../../src/main/core/features/messages/store'
import { ParleyError } from '../../../../../src/shared/rpc'
import { msg, openStores, T } from '../stores'

describe('conversation paging', () => {
  let db: Database.Database
  let store: MessageStore
  let all: NewMessage[]
  const ids = (p: { messages: { id: string }[] }): string[] => p.messages.map((m) => m.id)
  const idsOf = (ms: NewMessage[]): string[] => ms.map((m) => m.id)
  const cursor = (m: NewMessage) => ({ ts: m.ts, id: m.id })

  beforeEach(() => {
    ;({ db, messages: store } = openStores())
    // Seen, so the unread marker stays out of the way until a test asks for it.
    all = Array.from({ length: 7 }, () => msg({ status: 'seen' }))
    // Inserted out of order: the page order comes from (ts, id), not insertion.
    store.insertMany([...all].reverse())
    store.insert(msg({ peer: 'bob' }))
  })
  afterEach(() => db.close())

  describe('newest page', () => {
    it('returns the latest `limit` messages, oldest first, with hasMore and never hasNewer', () => {
      expect(store.page('dm:alice', null, 3)).toMatchObject({ hasMore: true, hasNewer: false, firstUnread: null })
      expect(ids(store.page('dm:alice', null, 3))).toEqual(idsOf(all.slice(4)))
    })

    it('a page exactly as big as what is there has hasMore false; one less has it true', () => {
      expect(store.page('dm:alice', null, 7)).toMatchObject({ hasMore: false, hasNewer: false })
      expect(store.page('dm:alice', null, 7).messages).toHaveLength(7)
      expect(store.page('dm:alice', null, 6).hasMore).toBe(true)
    })

    it('an unknown conversation is an empty page', () => {
      expect(store.page('dm:nobody', null, 10)).toEqual({ messages: [], hasMore: false, hasNewer: false, firstUnread: null })
    })
  })

  describe('before', () => {
    it('pages back with the oldest message as the cursor until hasMore is false, every page knowing there is newer', () => {
      const seen: string[] = []
      let before: { ts: number; id: string } | null = null
      let pages = 0
      for (;;) {
        const p = store.page('dm:alice', before ? { before } : null, 3)
        pages++
        if (before) expect(p.hasNewer).toBe(true)
        seen.unshift(...ids(p))
        if (!p.hasMore) break
        before = p.messages[0]!
      }
      expect(pages).toBe(3)
      expect(seen).toEqual(idsOf(all))
    })

    it('stops exactly at the first message: before the second is it alone, before the first is empty', () => {
      expect(store.page('dm:alice', { before: cursor(all[1]!) }, 3)).toMatchObject({ hasMore: false, hasNewer: true })
      expect(ids(store.page('dm:alice', { before: cursor(all[1]!) }, 3))).toEqual([all[0]!.id])
      expect(store.page('dm:alice', { before: cursor(all[0]!) }, 3)).toEqual({ messages: [], hasMore: false, hasNewer: true, firstUnread: null })
      // Exactly the messages that are left: no more.
      expect(store.page('dm:alice', { before: cursor(all[3]!) }, 3)).toMatchObject({ hasMore: false })
      expect(store.page('dm:alice', { before: cursor(all[4]!) }, 3)).toMatchObject({ hasMore: true })
    })
  })

  describe('after', () => {
    it('pages forward from the oldest message to the newest, hasNewer false on the last page', () => {
      const seen = [all[0]!.id]
      let after = cursor(all[0]!)
      let pages = 0
      for (;;) {
        const p = store.page('dm:alice', { after }, 2)
        pages++
        expect(p.hasMore).toBe(true)
        seen.push(...ids(p))
        if (!p.hasNewer) break
        after = p.messages.at(-1)!
      }
      expect(pages).toBe(3)
      expect(seen).toEqual(idsOf(all))
    })

    it('after the newest message is an empty page with nothing newer; exactly what is left has hasNewer false', () => {
      expect(store.page('dm:alice', { after: cursor(all[6]!) }, 5)).toEqual({ messages: [], hasMore: true, hasNewer: false, firstUnread: null })
      expect(ids(store.page('dm:alice', { after: cursor(all[3]!) }, 3))).toEqual(idsOf(all.slice(4)))
      expect(store.page('dm:alice', { after: cursor(all[3]!) }, 3).hasNewer).toBe(false)
      expect(store.page('dm:alice', { after: cursor(all[2]!) }, 3).hasNewer).toBe(true)
    })
  })

  describe('around', () => {
    it('is the message with up to `limit` on each side, and says what lies beyond', () => {
      const p = store.page('dm:alice', { around: all[3]!.id }, 2)
      expect(ids(p)).toEqual(idsOf(all.slice(1, 6)))
      expect(p).toMatchObject({ hasMore: true, hasNewer: true })
      const exact = store.page('dm:alice', { around: all[3]!.id }, 3)
      expect(ids(exact)).toEqual(idsOf(all))
      expect(exact).toMatchObject({ hasMore: false, hasNewer: false })
    })

    it('around the first message has nothing older; around the last, nothing newer', () => {
      const first = store.page('dm:alice', { around: all[0]!.id }, 2)
      expect(ids(first)).toEqual(idsOf(all.slice(0, 3)))
      expect(first).toMatchObject({ hasMore: false, hasNewer: true })
      const last = store.page('dm:alice', { around: all[6]!.id }, 2)
      expect(ids(last)).toEqual(idsOf(all.slice(4)))
      expect(last).toMatchObject({ hasMore: true, hasNewer: false })
    })

    it("an unknown id, or another conversation's, is not-found", () => {
      const bobs = store.page('dm:bob', null, 1).messages[0]!
      for (const around of ['00000000-0000-7000-8000-999999999999', bobs.id]) {
        let err: unknown
        try {
          store.page('dm:alice', { around }, 2)
        } catch (e) {
          err = e
        }
        expect(err).toBeInstanceOf(ParleyError)
        expect(err).toMatchObject({ code: 'not-found' })
      }
    })
  })

  it('breaks timestamp ties by id in both directions, so equal timestamps are never skipped or repeated', () => {
    const ts = T + 10_000
    const same = [msg({ peer: 'carol', ts }), msg({ peer: 'carol', ts }), msg({ peer: 'carol', ts }), msg({ peer: 'carol', ts })]
    // Arrival order (the time key's slot) differs from id order: paging follows the ids.
    store.insertMany([same[2]!, same[0]!, same[3]!, same[1]!])
    expect(ids(store.page('dm:carol', null, 2))).toEqual(idsOf(same.slice(2)))
    expect(ids(store.page('dm:carol', { before: cursor(same[2]!) }, 5))).toEqual(idsOf(same.slice(0, 2)))
    expect(ids(store.page('dm:carol', { after: cursor(same[1]!) }, 5))).toEqual(idsOf(same.slice(2)))
    expect(ids(store.page('dm:carol', { around: same[1]!.id }, 1))).toEqual(idsOf(same.slice(0, 3)))
    expect(store.page('dm:carol', { around: same[1]!.id }, 1)).toMatchObject({ hasMore: false, hasNewer: true })
  })

  describe('firstUnread', () => {
    it('is the oldest incoming message not seen yet, on every page; null once all are seen', () => {
      const unseen = [msg(), msg(), msg()]
      store.insertMany([...unseen].reverse())
      const first = cursor(unseen[0]!)
      expect(store.page('dm:alice', null, 2).firstUnread).toEqual(first)
      expect(store.page('dm:alice', { before: cursor(all[2]!) }, 2).firstUnread).toEqual(first)
      expect(store.page('dm:alice', { around: all[0]!.id }, 1).firstUnread).toEqual(first)
      store.markSeen('dm:alice', first)
      expect(store.page('dm:alice', null, 2).firstUnread).toEqual(cursor(unseen[1]!))
      store.markSeen('dm:alice')
      expect(store.page('dm:alice', null, 2).firstUnread).toBeNull()
    })

    it('ignores my own messages, and breaks a tie on ts by id', () => {
      const ts = T + 20_000
      const mine = msg({ peer: 'dave', sender: 'me', direction: 'out', status: 'sent', ts: ts - 1 })
      const tied = [msg({ peer: 'dave', ts }), msg({ peer: 'dave', ts })]
      store.insertMany([mine, tied[1]!, tied[0]!])
      expect(store.page('dm:dave', null, 10).firstUnread).toEqual(cursor(tied[0]!))
    })
  })

  it('seeks with the conversation index rather than walking the history', () => {
    const plans = [
      `SELECT * FROM messages INDEXED BY messages_by_conversation WHERE conversation_id = 'dm:alice' AND ts <= 5 AND (ts < 5 OR id < 'x') ORDER BY ts DESC, id DESC LIMIT 3`,
      `SELECT * FROM messages INDEXED BY messages_by_conversation WHERE conversation_id = 'dm:alice' AND ts >= 5 AND (ts > 5 OR id > 'x') ORDER BY ts, id LIMIT 3`,
    ].map((sql) => (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all() as { detail: string }[]).map((r) => r.detail).join(' | '))
    for (const plan of plans) {
      expect(plan).toMatch(/^SEARCH messages USING INDEX messages_by_conversation \(conversation_id=\? AND ts[<>]\?\)$/)
    }
    const unseen = (db.prepare(`EXPLAIN QUERY PLAN SELECT ts FROM messages INDEXED BY messages_unseen WHERE conversation_id = 'dm:alice' AND status = 'received' ORDER BY rowid LIMIT 1`).all() as { detail: string }[]).map((r) => r.detail)
    expect(unseen).toEqual(['SEARCH messages USING INDEX messages_unseen (conversation_id=?)'])
  })
})
