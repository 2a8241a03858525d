import type Database from 'better-sqlite3'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { ParleyEvents, SearchService } from '../../../../../src/shared/contract'
import { conversationsFeature, type ConversationsApi } from '../../../../../src/main/core/features/conversations'
import { MessageStore } from '../../../../../src/main/core/features/messages/store'
import { searchFeature } from '../../../../../src/main/core/features/search'
import { EventBus } from '../../../../../src/main/core/kernel/event-bus'
import { silentLogger } from '../../../../../src/main/core/kernel/log'
import { Publisher } from '../../../../../src/main/core/mqtt/publisher'
import { TopicRouter } from '../../../../../src/main/core/mqtt/router'
import { Codec } from '../../../../../src/main/core/protocol/codec'
import { FakeSession } from '../../mqtt/fake-session'
import { featureContext, freshHistory } from '../feature-context'
import { msg, T } from '../stores'
import { seeded } from './rig'

/** The search feature as the kernel wires it, with no network: its service over a real history. */
describe('search service', () => {
  let db: Database.Database
  let publisher: Publisher
  let service: SearchService
  let store: MessageStore
  let conversations: ConversationsApi
  let closers: (() => void)[] = []

  beforeEach(() => {
    db = freshHistory()
    const session = new FakeSession()
    publisher = new Publisher(db, () => session.asSession(), silentLogger, { reofferBaseMs: 60_000, reofferWindowMs: 86_400_000 })
    const router = new TopicRouter({ transaction: (fn) => db.transaction(fn)(), subscribe() {}, unsubscribe() {} }, silentLogger)
    const apis = new Map<string, unknown>()
    const ctx = featureContext({ db, log: silentLogger, events: new EventBus<ParleyEvents>(), router, publisher, codec: new Codec(), session, apis })
    const conv = conversationsFeature.create(ctx)
    conversations = conv.api as ConversationsApi
    apis.set('conversations', conversations)
    apis.set('messages', {})
    const search = searchFeature.create(ctx)
    service = search.service as SearchService
    closers = [() => search.close?.(), () => conv.close?.()]
    store = new MessageStore(db, conversations.store)
    store.insertMany([
      msg({ text: 'lunch at the café?', peer: 'bob', ts: T + 1 }),
      msg({ text: 'Lunch tomorrow with the team', conversationId: 'group:team', sender: 'carol', ts: T + 2 }),
      msg({ text: 'no lunch for me', peer: 'dave', sender: 'alice', direction: 'out', status: 'sent', ts: T + 3 }),
      msg({ text: '北京 meeting notes https://example.org', peer: 'bob', ts: T + 4 }),
    ])
    conversations.store.setTitle('group:team', 'Team chat')
  })
  afterEach(() => {
    for (const c of closers.splice(0)) c()
    publisher.close()
    db.close()
  })

  it('finds what was just stored (indexing a small backlog first), newest first, with titles, kinds and snippets', async () => {
    const r = await service.search({ text: 'LUNCH' })
    expect(r.pending).toBe(0)
    expect(r.next).toBeNull()
    expect(r.hits.map((h) => [h.message.text, h.conversationKind, h.conversationTitle])).toEqual([
      ['no lunch for me', 'dm', 'dave'],
      ['Lunch tomorrow with the team', 'group', 'Team chat'],
      ['lunch at the café?', 'dm', 'bob'],
    ])
    const s = r.hits[1]!.snippet
    expect(s.highlights.map(([a, b]) => s.text.slice(a, b))).toEqual(['Lunch'])
    expect(r.parsed).toMatchObject({ terms: ['LUNCH'], from: null, in: null, notes: [] })
    expect(await service.status()).toEqual({ indexed: 4, pending: 0 })
  })

  it('in: names a conversation by title (quoted), peer or id; from:me is the account', async () => {
    expect((await service.search({ text: 'in:"team chat" lunch' })).hits.map((h) => h.message.text)).toEqual(['Lunch tomorrow with the team'])
    expect((await service.search({ text: 'in:bob lunch' })).hits.map((h) => h.message.text)).toEqual(['lunch at the café?'])
    expect((await service.search({ text: 'in:@bob' })).hits.map((h) => h.message.text)).toEqual(['北京 meeting notes https://example.org', 'lunch at the café?'])
    expect((await service.search({ text: 'in:dm:dave lunch' })).hits).toHaveLength(1)
    const mine = await service.search({ text: 'from:me lunch' })
    expect(mine.parsed.from).toBe('alice')
    expect(mine.hits.map((h) => h.message.text)).toEqual(['no lunch for me'])
    const nobody = await service.search({ text: 'in:nobody lunch' })
    expect(nobody.hits).toEqual([])
    expect(nobody.parsed.notes).toEqual(['No conversation is called "nobody".'])
  })

  it('pages by its cursor, and a cursor that is not one of its own is a clear error', async () => {
    const first = await service.search({ text: 'lunch', limit: 2 })
    expect(first.hits).toHaveLength(2)
    expect(first.next).toMatch(/^[0-9a-z]+$/)
    const second = await service.search({ text: 'lunch', limit: 2, cursor: first.next })
    expect(second.hits.map((h) => h.message.text)).toEqual(['lunch at the café?'])
    expect(second.next).toBeNull()
    for (const cursor of ['not a cursor!', '-1', 'ZZ', '1.5']) {
      await expect(service.search({ text: 'lunch', cursor })).rejects.toMatchObject({
        code: 'invalid-argument',
        message: 'That page of results is no longer valid; search again.',
      })
    }
  })

  it('has:link and CJK through the service, with the link and the word marked', async () => {
    const r = await service.search({ text: '北京 has:link' })
    expect(r.hits).toHaveLength(1)
    const s = r.hits[0]!.snippet
    expect(s.highlights.map(([a, b]) => s.text.slice(a, b))).toEqual(['北京', 'https://example.org'])
  })

  it('nothing typed throws: empty, syntax, NUL and a 1 MB query give an answer with notes', async () => {
    for (const text of ['', '   ', '"', 'AND', 'NEAR(a b)', 'a\u0000bc', '\ud800', 'before:2026-13', 'has:other']) {
      const r = await service.search({ text })
      expect(r, JSON.stringify(text)).toMatchObject({ next: null })
    }
    expect((await service.search({ text: '' })).hits).toEqual([])
    expect((await service.search({ text: 'has:other' })).parsed.notes).toEqual(['has: understands only has:link.'])
    const started = performance.now()
    const huge = await service.search({ text: 'lunch '.repeat(200_000).slice(0, 1_000_000) })
    expect(performance.now() - started).toBeLessThan(2000)
    expect(huge.parsed.notes).toContain('Only the first 512 characters were searched.')
    expect(huge.hits).toHaveLength(3)
  })

  it('a seeded fuzz of 1000 inputs through the service: every answer is well formed, none throws', async () => {
    const random = seeded(42)
    const pieces = ['lunch', 'lu', 'café', '北京', '京', ' ', ' ', '"', 'in:', 'in:"team chat"', 'in:bob', 'from:', 'from:me', 'from:carol', 'before:', 'after:2020', 'before:2099-12', 'has:link', 'has:x', 'AND', 'NEAR(', '*', '\u0000', '\ud800', '😀', 'e\u0301', '{body}:', '-']
    for (let i = 0; i < 1000; i++) {
      const text = Array.from({ length: 1 + Math.floor(random() * 8) }, () => pieces[Math.floor(random() * pieces.length)]!).join('')
      const r = await service.search({ text, limit: 1 + Math.floor(random() * 3) }).catch((err: Error) => {
        throw new Error(`${JSON.stringify(text)}: ${err.message}`)
      })
      for (const h of r.hits) {
        for (const [a, b] of h.snippet.highlights) expect(0 <= a && a < b && b <= h.snippet.text.length, JSON.stringify(text)).toBe(true)
      }
      if (r.next !== null) await service.search({ text, cursor: r.next })
    }
  })

  it('indexes history stored without a message event (an import) in the background, with no search to start it', async () => {
    const settle = async (ms: number) => {
      const until = Date.now() + ms
      while ((await service.status()).pending > 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 20))
      return (await service.status()).pending
    }
    expect(await settle(2000)).toBe(0)
    store.insertMany(Array.from({ length: 3000 }, (_, i) => msg({ text: `imported ${i}`, peer: 'erin', status: 'seen', ts: T - 10_000 + i })))
    expect((await service.status()).pending).toBe(3000)
    expect(await settle(5000)).toBe(0)
    expect((await service.search({ text: '"imported 0"' })).hits.map((h) => h.message.text)).toEqual(['imported 0'])
  })

  it('a search indexes a small backlog first, but of a large one only its newest messages (each keystroke stays quick)', async () => {
    const burst = (n: number, word: string) => store.insertMany(Array.from({ length: n }, (_, i) => msg({ text: `${word} ${i}`, peer: 'erin', ts: T + 1000 + i })))
    burst(1500, 'small')
    expect((await service.search({ text: '"small 1499"' })).pending).toBe(0)
    burst(5000, 'large')
    const r = await service.search({ text: '"large 4999"' })
    expect(r.hits.map((h) => h.message.text)).toEqual(['large 4999'])
    expect(r.pending).toBe(4800)
  })
})
