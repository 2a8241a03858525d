/**
 * Search over a real Mosquitto: one word said in every kind of conversation (1:1
 * both ways, a group, an open room written by a plain MQTT client, a regional
 * broadcast) is found in each, with its kind and title; from:, in:, before:/after:
 * and has:link narrow; keyset paging gives every hit once, newest first; "delete for
 * me" takes a message out of the results; search needs no broker; the index
 * survives a restart and catches up on messages stored while it was behind.
 */
import Database from 'better-sqlite3'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { encodeEnvelope, textEnvelope } from '../../src/main/core/protocol/codec'
import { messageKeyBase } from '../../src/main/core/features/messages/api'
import type { SearchHit, SearchQuery, SearchResults } from '../../src/shared/contract'
import { FAST, publish, sleep, urlBroker, useMosquittoLab, waitFor, type Node } from '../helpers/core'
import { startMosquitto } from '../helpers/mosquitto'

/** What a person sees of a hit: where, who, what. */
const seen = (h: SearchHit) => [h.conversationKind, h.conversationTitle, h.message.sender, h.message.text]
const texts = (r: SearchResults) => r.hits.map((h) => h.message.text)

async function find(node: Node, text: string, more: Omit<SearchQuery, 'text'> = {}): Promise<SearchResults> {
  return node.services.search.search({ text, limit: 200, ...more })
}

/** Every hit of `text`, page by page (`limit` each), and how many pages it took. */
async function allPages(node: Node, text: string, limit: number): Promise<{ hits: SearchHit[]; pages: number[] }> {
  const hits: SearchHit[] = []
  const pages: number[] = []
  let cursor: string | null = null
  do {
    const r: SearchResults = await node.services.search.search({ text, limit, cursor })
    hits.push(...r.hits)
    pages.push(r.hits.length)
    cursor = r.next
    if (pages.length > 100) throw new Error('paging does not end')
  } while (cursor !== null)
  return { hits, pages }
}

/** A room message from a plain MQTT client, waited for until `node` stored it. */
async function roomPost(node: Node, raw: Parameters<typeof publish>[0], topic: string, payload: string, conversationId = `room:${topic}`): Promise<void> {
  const before = (await node.services.messages.page({ conversationId, limit: 500 })).messages.length
  await publish(raw, topic, payload)
  await waitFor(async () => (await node.services.messages.page({ conversationId, limit: 500 })).messages.length > before, `${node.name} to store "${payload}"`)
}

describe('search', () => {
  const env = useMosquittoLab({ tuning: FAST })

  it('finds a word in every kind of conversation, with its kind and title, newest first; from: in: before: after: has:link narrow', async () => {
    const alice = await env.online('alice')
    const bob = await env.online('bob')
    const raw = await env.lab.client(env.broker.url)

    // From the archive: bob's message of 10 March 2025 (noon, local time), as his clock dated it.
    const archived = new Date(2025, 2, 10, 12).getTime()
    await publish(raw, 'IMS/alice/Inbox/Msg/bob', encodeEnvelope(textEnvelope('bob', 'old-phone', 'a zeppelin over the lake, back then', 1, archived)))
    await waitFor(async () => (await alice.history('bob')).length === 1, 'the archived message')

    // 1:1 both ways (the second with a link).
    const museum = await alice.send('bob', 'the zeppelin museum opens at nine')
    await waitFor(async () => (await bob.history('alice')).some((m) => m.id === museum.id), 'bob to get it')
    const link = await bob.send('alice', 'zeppelin pictures: https://example.com/z.jpg')
    await waitFor(async () => (await alice.history('bob')).some((m) => m.id === link.id), 'alice to get the link')

    // A group bob writes in.
    const group = await alice.services.groups.create({ name: 'Airship club', members: ['bob'] })
    await waitFor(async () => (await bob.services.groups.list()).some((g) => g.id === group.id && g.membership === 'invited'), 'the invite')
    await bob.services.groups.accept(group.id)
    await waitFor(async () => (await alice.services.groups.get(group.id)).members.every((m) => m.state === 'member'), 'bob a member')
    await sleep(200)
    await bob.services.messages.send({ conversationId: group.conversationId, text: 'Zeppelin launch at dawn' })
    await waitFor(async () => (await alice.services.messages.page({ conversationId: group.conversationId, limit: 50 })).messages.some((m) => m.sender === 'bob'), 'the group message')

    // An open room a plain MQTT client writes in (seed 004's "username (client_id): message").
    await alice.services.rooms.join({ room: 'team/airships', qos: 1 })
    await sleep(200)
    await roomPost(alice, raw, 'team/airships', 'carol (paho-1): ZEPPELIN spotted over the harbour')

    // A regional broadcast, as plain text (from System).
    await alice.services.broadcasts.setRegions(['eu'])
    await sleep(200)
    await roomPost(alice, raw, 'IMS/System/eu', 'Zeppelin maintenance tonight', 'system:eu')

    const all = await find(alice, 'zeppelin')
    expect(all.hits.map(seen)).toEqual([
      ['system', 'eu', 'System', 'Zeppelin maintenance tonight'],
      ['room', 'team/airships', 'carol', 'ZEPPELIN spotted over the harbour'],
      ['group', 'Airship club', 'bob', 'Zeppelin launch at dawn'],
      ['dm', 'bob', 'bob', 'zeppelin pictures: https://example.com/z.jpg'],
      ['dm', 'bob', 'alice', 'the zeppelin museum opens at nine'],
      ['dm', 'bob', 'bob', 'a zeppelin over the lake, back then'],
    ])
    expect(all.hits.map((h) => h.message.conversationId)).toEqual(['system:eu', 'room:team/airships', group.conversationId, 'dm:bob', 'dm:bob', 'dm:bob'])
    expect(all.next).toBeNull()
    expect(all.parsed).toMatchObject({ terms: ['zeppelin'], from: null, in: null, before: null, after: null, hasLink: false, notes: [] })
    // Each snippet marks the word, whatever its case.
    for (const h of all.hits) {
      expect(h.snippet.highlights.length, h.message.text).toBeGreaterThan(0)
      expect(h.snippet.highlights.map(([s, e]) => h.snippet.text.slice(s, e).toLowerCase()), h.message.text).toEqual(['zeppelin'])
    }

    // Filters.
    const dmTexts = ['zeppelin pictures: https://example.com/z.jpg', 'the zeppelin museum opens at nine', 'a zeppelin over the lake, back then']
    expect(texts(await find(alice, 'zeppelin from:bob'))).toEqual(['Zeppelin launch at dawn', dmTexts[0], dmTexts[2]])
    expect(texts(await find(alice, 'from:alice zeppelin'))).toEqual([dmTexts[1]])
    expect(texts(await find(alice, 'from:carol'))).toEqual(['ZEPPELIN spotted over the harbour'])
    expect(texts(await find(alice, 'zeppelin in:bob'))).toEqual(dmTexts)
    expect(texts(await find(alice, 'zeppelin in:"Airship club"'))).toEqual(['Zeppelin launch at dawn'])
    expect(texts(await find(alice, 'zeppelin in:team/airships'))).toEqual(['ZEPPELIN spotted over the harbour'])
    expect(texts(await find(alice, 'zeppelin', { conversationId: 'system:eu' }))).toEqual(['Zeppelin maintenance tonight'])
    expect(texts(await find(alice, 'zeppelin', { conversationId: group.conversationId }))).toEqual(['Zeppelin launch at dawn'])
    expect(texts(await find(alice, 'zeppelin has:link'))).toEqual([dmTexts[0]])
    const linkHit = (await find(alice, 'has:link')).hits
    expect(linkHit.map((h) => h.message.id)).toEqual([link.id])
    expect(texts(await find(alice, 'zeppelin before:2025-03-11'))).toEqual([dmTexts[2]])
    expect(texts(await find(alice, 'zeppelin before:2025-03-10'))).toEqual([])
    expect(texts(await find(alice, 'zeppelin after:2025-03-09 before:2025-03-11'))).toEqual([dmTexts[2]])
    const recent = await find(alice, 'zeppelin after:2025-03-10')
    expect(texts(recent)).toEqual(all.hits.slice(0, 5).map((h) => h.message.text))
    expect(recent.parsed.after).toBe(new Date(2025, 2, 11).getTime())
    // A name that is no conversation finds nothing and says so.
    const nowhere = await find(alice, 'zeppelin in:nobody')
    expect(nowhere.hits).toEqual([])
    expect(nowhere.parsed.notes.join(' ')).toMatch(/nobody/)
  }, 60_000)

  it('pages by keyset: every hit exactly once, newest first, whatever the page size', async () => {
    const alice = await env.online('alice2')
    const raw = await env.lab.client(env.broker.url)
    await alice.services.rooms.join({ room: 'log/paging', qos: 1 })
    await sleep(200)
    for (let i = 1; i <= 23; i++) await publish(raw, 'log/paging', `pagination check number ${i}`)
    // Something else in between, which no page may show.
    await publish(raw, 'log/paging', 'unrelated chatter')
    const stored = await waitFor(async () => {
      const p = await alice.services.messages.page({ conversationId: 'room:log/paging', limit: 100 })
      return p.messages.length === 24 ? p.messages : null
    }, 'all 24 stored')
    // Newest first is the order they arrived in, reversed (two in one millisecond included).
    const byText = new Map(stored.map((m) => [m.text, m]))
    const newestFirst = Array.from({ length: 23 }, (_, i) => byText.get(`pagination check number ${23 - i}`)!)
    expect(newestFirst.every(Boolean)).toBe(true)

    for (const limit of [1, 5, 7, 23, 30]) {
      const { hits, pages } = await allPages(alice, 'pagination', limit)
      expect(hits.map((h) => h.message.id), `limit ${limit}`).toEqual(newestFirst.map((m) => m.id))
      // Full pages until the last; a last page is never empty.
      expect(pages.slice(0, -1).every((n) => n === limit), `limit ${limit}: ${pages.join(',')}`).toBe(true)
      expect(pages.at(-1)!, `limit ${limit}`).toBeGreaterThan(0)
      expect(pages.length, `limit ${limit}`).toBe(Math.ceil(23 / limit))
    }
    // A page of a scoped, filtered search pages the same way.
    const scoped = await allPages(alice, 'in:log/paging check number', 4)
    expect(scoped.hits.map((h) => h.message.id)).toEqual(newestFirst.map((m) => m.id))
  })

  it('"delete for me" takes a message out of the results; search needs no broker; the index survives a restart and catches up', async () => {
    // A broker of its own, which this test stops for good.
    const own = await startMosquitto()
    try {
      const alice = await env.lab.open('alice3', urlBroker(own.url))
      await alice.connected()
      const raw = await env.lab.client(own.url)
      await alice.services.rooms.join({ room: 'team/notes', qos: 1 })
      await sleep(200)
      for (const t of ['bring the quokka photos', 'the quokka was friendly', 'quokka selfie attempt two']) await roomPost(alice, raw, 'team/notes', `dan (d1): ${t}`)
      const before = await find(alice, 'quokka')
      expect(texts(before)).toEqual(['quokka selfie attempt two', 'the quokka was friendly', 'bring the quokka photos'])

      await alice.services.messages.remove(before.hits[1]!.message.id)
      expect(texts(await find(alice, 'quokka'))).toEqual(['quokka selfie attempt two', 'bring the quokka photos'])
      expect(texts(await find(alice, 'friendly'))).toEqual([])

      // No broker at all: the same answers.
      await own.stop()
      await waitFor(() => alice.status.state !== 'connected', 'alice to notice the broker is gone')
      expect(texts(await find(alice, 'quokka'))).toEqual(['quokka selfie attempt two', 'bring the quokka photos'])
      expect(texts(await find(alice, 'selfie from:dan'))).toEqual(['quokka selfie attempt two'])

      // The engine stops; a message is stored without being indexed (as when the app quit between the two).
      const dataDir = alice.dataDir
      await env.lab.close(alice)
      const ts = Date.now()
      const db = new Database(join(dataDir, 'history.db'))
      try {
        db.prepare(
          `INSERT INTO messages (rowid, id, conversation_id, sender, sender_device, direction, ts, seq, text, status, error, received_at)
           VALUES (?, ?, 'room:team/notes', 'dan', NULL, 'in', ?, NULL, 'a quokka stored behind the index', 'seen', NULL, ?)`,
        ).run(messageKeyBase(ts), '01900000-0000-7000-8000-000000000001', ts, ts)
      } finally {
        db.close()
      }

      const again = await env.lab.open('alice3', undefined, dataDir)
      // The index is still there: at most the one new message waits for it, not the history.
      expect((await again.services.search.status()).pending).toBeLessThanOrEqual(1)
      const found = await waitFor(async () => {
        const r = await find(again, 'quokka')
        return r.hits.length === 3 ? r : null
      }, 'the message stored behind the index to be found')
      expect(texts(found)).toEqual(['a quokka stored behind the index', 'quokka selfie attempt two', 'bring the quokka photos'])
      expect(found.pending).toBe(0)
      expect(await again.services.search.status()).toEqual({ indexed: 3, pending: 0 })
    } finally {
      await own.stop()
    }
  }, 60_000)
})
