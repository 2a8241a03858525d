/**
 * Moments over a real Mosquitto (seed 000 scenario 2): bob posts to IMS/bob,
 * alice follows by subscribing; what bob posts while alice is away waits in her
 * broker session and is in her feed when she is back, newest first and paged;
 * an unfollow stops new ones; forged and malformed posts are dropped.
 */
import Database from 'better-sqlite3'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { Moment } from '../../src/shared/contract'
import { MAX_TEXT_LENGTH } from '../../src/shared/schemas'
import { encodeEnvelope, envelope } from '../../src/main/core/protocol/codec'
import { FAST, publish, record, sleep, urlBroker, useMosquittoLab, waitFor, type Node } from '../helpers/core'

/** Posts and waits until the broker has it. */
async function post(node: Node, text: string): Promise<Moment> {
  const m = await node.services.moments.post(text)
  return waitFor(() => node.of('moment').find((e) => e.id === m.id && e.status === 'sent'), `${node.name}'s moment "${text}" to be posted`)
}

/** The whole feed, `limit` at a time, following the `before` cursor. */
async function wholeFeed(node: Node, limit: number): Promise<{ texts: string[]; pages: number }> {
  const texts: string[] = []
  let pages = 0
  let before: { ts: number; id: string } | undefined
  for (;;) {
    const page = await node.services.moments.feed({ limit, before })
    pages++
    texts.push(...page.moments.map((m) => m.text))
    if (!page.hasMore) return { texts, pages }
    const last = page.moments.at(-1)!
    before = { ts: last.ts, id: last.id }
  }
}

describe('moments', () => {
  const env = useMosquittoLab({ tuning: FAST })

  it('bob posts while alice is offline: she gets them on reconnect, and her feed is hers and his, newest first, paged', async () => {
    let alice = await env.lab.open('alice', urlBroker(env.broker.url))
    const bob = await env.lab.open('bob', urlBroker(env.broker.url))
    await Promise.all([alice.connected(), bob.connected()])
    expect(await alice.services.moments.follow('bob', true)).toEqual(['bob'])
    await sleep(100) // the SUBACK: from now on the broker keeps bob's moments for alice's session
    const raw = await env.lab.client(env.broker.url)
    const wire = await record(raw, 'IMS/bob')
    const mine = await post(alice, 'alice was here')
    await env.lab.close(alice)

    const posted: Moment[] = []
    for (const text of ['one', 'two', 'three', 'four', 'five']) posted.push(await post(bob, text))
    // Published once each, QoS 1, not retained, on bob's own topic.
    await waitFor(() => wire.length === 5, 'five moments on the wire')
    expect(wire.every((w) => !w.retain)).toBe(true)
    expect(JSON.parse(wire[0]!.payload.toString())).toMatchObject({ type: 'moment', from: 'bob', id: posted[0]!.id, body: { text: 'one' } })

    alice = await env.lab.open('alice', undefined, alice.dataDir)
    await alice.connected()
    await waitFor(() => alice.of('moment').length === 5, 'the five queued moments')
    expect(alice.of('moment').map((m) => [m.author, m.text, m.mine, m.status])).toEqual(
      ['one', 'two', 'three', 'four', 'five'].map((t) => ['bob', t, false, 'received']),
    )
    // Newest first (by bob's clock, then id); mine came before all of his.
    const feed = await alice.services.moments.feed({})
    expect(feed.hasMore).toBe(false)
    expect(feed.moments.map((m) => m.text)).toEqual(['five', 'four', 'three', 'two', 'one', 'alice was here'])
    expect(feed.moments.at(-1)).toEqual({ ...mine, status: 'sent' })
    expect(feed.moments[0]).toEqual({ ...posted[4]!, mine: false, status: 'received' })
    // Paging boundaries: a page exactly full says there is more; the last says none; nothing lost or repeated.
    for (const limit of [1, 2, 3, 5, 6, 7]) {
      const { texts, pages } = await wholeFeed(alice, limit)
      expect(texts).toEqual(['five', 'four', 'three', 'two', 'one', 'alice was here'])
      // hasMore is exact: no empty last page.
      expect(pages).toBe(Math.ceil(6 / limit))
    }
    expect(await alice.services.moments.feed({ limit: 6 })).toMatchObject({ hasMore: false })
    expect(await alice.services.moments.feed({ limit: 5 })).toMatchObject({ hasMore: true })
    // bob's feed is his own posts: he follows nobody.
    expect((await bob.services.moments.feed({})).moments.map((m) => m.text)).toEqual(['five', 'four', 'three', 'two', 'one'])
  })

  it('an unfollow stops new moments (remembered across a restart); following again brings the next ones', async () => {
    let alice = await env.lab.open('alice2', urlBroker(env.broker.url))
    const bob = await env.lab.open('bob2', urlBroker(env.broker.url))
    await Promise.all([alice.connected(), bob.connected()])
    await alice.services.moments.follow('bob2', true)
    await sleep(100)
    const first = await post(bob, 'followed')
    await waitFor(() => alice.of('moment').some((m) => m.id === first.id), 'the first moment')

    expect(await alice.services.moments.follow('bob2', false)).toEqual([])
    await sleep(100) // the UNSUBACK
    const raw = await env.lab.client(env.broker.url)
    const wire = await record(raw, 'IMS/bob2')
    const second = await post(bob, 'not followed')
    await waitFor(() => wire.some((w) => JSON.parse(w.payload.toString()).id === second.id), 'the second moment on the wire')
    await sleep(300)
    expect(alice.of('moment').map((m) => m.text)).toEqual(['followed'])
    expect(alice.query(`SELECT text FROM moments`)).toEqual([{ text: 'followed' }])
    // Not in the feed while unfollowed.
    expect((await alice.services.moments.feed({})).moments).toEqual([])

    // Across a restart (and its broker session) the choice holds.
    await env.lab.close(alice)
    const third = await post(bob, 'still not followed')
    alice = await env.lab.open('alice2', undefined, alice.dataDir)
    await alice.connected()
    await sleep(300)
    expect(await alice.services.moments.following()).toEqual([])
    expect(alice.of('moment').some((m) => m.id === third.id)).toBe(false)

    await alice.services.moments.follow('bob2', true)
    await sleep(100)
    const fourth = await post(bob, 'followed again')
    await waitFor(() => alice.of('moment').some((m) => m.id === fourth.id), 'the moment after following again')
    expect((await alice.services.moments.feed({})).moments.map((m) => m.text)).toEqual(['followed again', 'followed'])
  })

  it('contacts are followed by default: once bob accepts alice, each gets the other\'s moments; removing the contact stops them', async () => {
    const alice = await env.lab.open('alice4', urlBroker(env.broker.url))
    const bob = await env.lab.open('bob4', urlBroker(env.broker.url))
    await Promise.all([alice.connected(), bob.connected()])
    await alice.services.contacts.request({ user: 'bob4' })
    await waitFor(async () => (await bob.services.contacts.list()).some((c) => c.user === 'alice4' && c.state === 'incoming'), "alice's request")
    await bob.services.contacts.accept('alice4')
    await waitFor(async () => (await alice.services.moments.following()).includes('bob4'), 'alice to follow bob')
    expect(await bob.services.moments.following()).toEqual(['alice4'])
    await sleep(100) // the SUBACK
    const fromBob = await post(bob, 'hello, contacts')
    const fromAlice = await post(alice, 'hello back')
    await waitFor(() => alice.of('moment').some((m) => m.id === fromBob.id) && bob.of('moment').some((m) => m.id === fromAlice.id), 'each to get the other\'s moment')

    await alice.services.contacts.remove('bob4')
    await waitFor(async () => (await alice.services.moments.following()).length === 0, 'alice to stop following bob')
    await sleep(100)
    const raw = await env.lab.client(env.broker.url)
    const wire = await record(raw, 'IMS/bob4')
    const later = await post(bob, 'after the removal')
    await waitFor(() => wire.some((w) => JSON.parse(w.payload.toString()).id === later.id), 'the post on the wire')
    await sleep(300)
    expect(alice.of('moment').some((m) => m.id === later.id)).toBe(false)
  })

  it("what alice posts from her laptop is in her phone's feed too, as hers", async () => {
    const laptop = await env.lab.open('alice5-laptop', urlBroker(env.broker.url), { user: 'alice5' })
    const phone = await env.lab.open('alice5-phone', urlBroker(env.broker.url), { user: 'alice5' })
    await Promise.all([laptop.connected(), phone.connected()])
    const m = await post(laptop, 'posted on the laptop')
    await waitFor(() => phone.of('moment').some((x) => x.id === m.id), 'the phone to get it')
    expect((await phone.services.moments.feed({})).moments).toEqual([{ ...m, status: 'sent' }])
    // The laptop's own echo changed nothing there.
    await sleep(100)
    expect((await laptop.services.moments.feed({})).moments).toEqual([m])
    expect(laptop.of('moment').filter((x) => x.id === m.id).map((x) => x.status)).toEqual(['pending', 'sent'])
  })

  it('unfollow notices from people I never followed change nothing and store nothing', async () => {
    const alice = await env.lab.open('alice4', urlBroker(env.broker.url))
    await alice.connected()
    await alice.services.moments.follow('bob4', true)
    const raw = await env.lab.client(env.broker.url)
    for (let i = 0; i < 50; i++) {
      const from = `stranger${i}`
      await publish(raw, `IMS/alice4/Inbox/Update/${from}/Unsub`, encodeEnvelope(envelope('unsub', from, { notify: true })))
    }
    await publish(raw, 'IMS/alice4/Inbox/Update/bob4/Unsub', encodeEnvelope(envelope('unsub', 'bob4', { notify: true })))
    await waitFor(() => alice.events.some((e) => e.event === 'unfollowedBy'), "bob4's notice")
    expect(alice.events.filter((e) => e.event === 'unfollowedBy').map((e) => e.payload)).toEqual([{ user: 'bob4', notify: true }])
    expect(await alice.services.moments.following()).toEqual([])
    const db = new Database(join(alice.core.dataDir, 'history.db'), { readonly: true })
    try {
      expect(db.prepare(`SELECT user FROM follows`).pluck().all()).toEqual(['bob4'])
    } finally {
      db.close()
    }
  })

  it('forged, malformed, oversized and retained posts are dropped with a reason; the good one after them is kept', async () => {
    const alice = await env.lab.open('alice3', urlBroker(env.broker.url))
    await alice.connected()
    await alice.services.moments.follow('bob3', true)
    await sleep(100)
    const raw = await env.lab.client(env.broker.url)
    const good = envelope('moment', 'bob3', { text: 'the real one' })
    const bad: [string, string | Buffer, boolean?][] = [
      ['malformed JSON', '{"v":1,', false],
      ['not a Parley envelope', 'just text', false],
      ['invalid envelope: body', JSON.stringify({ ...good, id: '01900000-0000-7000-8000-000000000001', body: { text: 42 } })],
      ['envelope sender mallory does not match topic sender bob3', encodeEnvelope(envelope('moment', 'mallory', { text: 'I am bob3' }))],
      ['invalid envelope: body.text', encodeEnvelope(envelope('moment', 'bob3', { text: 'x'.repeat(MAX_TEXT_LENGTH + 1) }))],
      ['over 65536', encodeEnvelope(envelope('moment', 'bob3', { text: 'y'.repeat(70_000) }))],
      ['a text envelope on a moment topic', encodeEnvelope(envelope('text', 'bob3', { text: 'wrong type' }))],
      ['retained', encodeEnvelope(envelope('moment', 'bob3', { text: 'left on the topic' })), true],
    ]
    for (const [, payload, retain] of bad) await publish(raw, 'IMS/bob3', payload, { retain: retain ?? false })
    await publish(raw, 'IMS/bob3', encodeEnvelope(good))
    await publish(raw, 'IMS/bob3', encodeEnvelope(good)) // twice: stored once
    await waitFor(() => alice.of('moment').length === 1, 'the good moment')
    await sleep(200)
    expect(alice.of('moment')).toEqual([{ id: good.id, author: 'bob3', text: 'the real one', ts: good.ts, mine: false, status: 'received' }])
    expect((await alice.services.moments.feed({})).moments.map((m) => m.text)).toEqual(['the real one'])
    const drops = alice.log.lines.filter((l) => l.includes('dropped'))
    for (const [reason] of bad) expect(drops.some((l) => l.includes(reason)), reason).toBe(true)
    // A follower subscribing later does not get the retained one either; clear it.
    await publish(raw, 'IMS/bob3', '', { retain: true })
  })
})
