import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { Moment } from '../../../../../src/shared/contract'
import { MAX_TEXT_LENGTH } from '../../../../../src/shared/schemas'
import { MAX_CLOCK_SKEW_MS } from '../../../../../src/main/core/features/moments'
import { encodeEnvelope, envelope } from '../../../../../src/main/core/protocol/codec'
import { settle } from '../../mqtt/fake-session'
import { openRig, type Rig } from '../blocking/rig'

const momentFrom = (author: string, text: string, extra: { ts?: number; id?: string } = {}) => encodeEnvelope(envelope('moment', author, { text }, extra))
const unsubFrom = (user: string, notify: boolean) => encodeEnvelope(envelope('unsub', user, { notify }))
const filters = (rig: Rig) => Object.keys(rig.router.subscriptions()).sort()

describe('moments feature', () => {
  let rig: Rig
  beforeEach(() => {
    rig = openRig()
  })
  afterEach(() => rig.close())

  it('follows accepted contacts by default and whoever I follow; an unfollow is remembered and wins over the contact', async () => {
    rig.contacts.list = ['bob']
    rig.connect()
    expect(filters(rig)).toEqual(['IMS/alice', 'IMS/alice/Inbox/Update/+/Unsub', 'IMS/bob'])
    expect(rig.router.subscriptions()['IMS/bob']).toEqual({ qos: 1, rap: true })

    expect(await rig.moments.follow('carol', true)).toEqual(['bob', 'carol'])
    expect(filters(rig)).toContain('IMS/carol')
    expect(await rig.moments.follow('bob', false)).toEqual(['carol'])
    expect(filters(rig)).not.toContain('IMS/bob')

    // A new contact is followed as soon as the contacts feature says so; a removed one is not.
    rig.contacts.set(['bob', 'dave'])
    expect(await rig.moments.following()).toEqual(['carol', 'dave'])
    expect(filters(rig)).toContain('IMS/dave')
    rig.contacts.set(['bob'])
    expect(filters(rig)).not.toContain('IMS/dave')

    // Remembered across a restart, and routes() gives a new connection the same.
    const again = rig.restart()
    try {
      again.contacts.list = ['bob']
      again.connect()
      expect(await again.moments.following()).toEqual(['carol'])
      expect(filters(again)).toEqual(['IMS/alice', 'IMS/alice/Inbox/Update/+/Unsub', 'IMS/carol'])
    } finally {
      again.publisher.close()
    }
  })

  it("my own topic brings my other devices' posts into my feed as mine; this device's echo is stored once", async () => {
    rig.connect()
    const m = await rig.moments.post('from this device')
    await settle()
    await rig.deliver({ topic: 'IMS/alice', payload: rig.session.sent[0]!.payload })
    const other = envelope('moment', 'alice', { text: 'from my phone' }, { dev: 'alice-phone' })
    await rig.deliver({ topic: 'IMS/alice', payload: encodeEnvelope(other) })
    expect((await rig.moments.feed({})).moments.map((x) => [x.text, x.mine, x.status])).toEqual([
      ['from my phone', true, 'sent'],
      ['from this device', true, 'sent'],
    ])
    expect(rig.events.filter((e) => e.event === 'moment').map((e) => (e.payload as Moment).id)).toEqual([m.id, m.id, other.id])
    expect(await rig.moments.following()).toEqual([])
  })

  it('a follow or unfollow is told to my other devices, and theirs applies here', async () => {
    rig.contacts.list = ['bob']
    rig.connect()
    await rig.moments.follow('carol', true)
    await rig.moments.follow('bob', false)
    expect(rig.devices.shared).toEqual([
      { kind: 'follows', data: { user: 'carol', following: true } },
      { kind: 'follows', data: { user: 'bob', following: false } },
    ])
    const shared = rig.devices.handlers.get('follows')!
    expect(shared.schema.safeParse({ user: 'x y', following: true }).success).toBe(false)
    rig.db.transaction(() => shared.handler({ user: 'bob', following: true }, { device: 'alice-phone', ts: 1 }))()?.()
    rig.db.transaction(() => shared.handler({ user: 'carol', following: false }, { device: 'alice-phone', ts: 2 }))()?.()
    expect(await rig.moments.following()).toEqual(['bob'])
    expect(filters(rig)).toContain('IMS/bob')
    expect(filters(rig)).not.toContain('IMS/carol')
  })

  it('never follows myself or someone I blocked; blocking drops the route, unblocking brings it back', async () => {
    rig.contacts.list = ['bob']
    rig.connect()
    await expect(rig.moments.follow('alice', true)).rejects.toMatchObject({ code: 'invalid-argument', message: 'Your own moments are always in your feed.' })
    await expect(rig.moments.follow('a#b', true)).rejects.toMatchObject({ code: 'invalid-argument' })
    await rig.blocking.block('bob')
    expect(await rig.moments.following()).toEqual([])
    expect(filters(rig)).not.toContain('IMS/bob')
    await expect(rig.moments.follow('bob', true)).rejects.toMatchObject({ message: 'You blocked bob: unblock them to follow their moments.' })
    await rig.blocking.unblock('bob')
    expect(filters(rig)).toContain('IMS/bob')
  })

  it('post: stored as pending, published once at QoS 1 on R/{me} through the outbox (not retained, not offered again), then sent', async () => {
    rig.session.autoAck = false
    rig.connect()
    const m = await rig.moments.post('first light')
    expect(m).toMatchObject({ author: 'alice', text: 'first light', mine: true, status: 'pending' })
    await settle()
    expect(rig.session.topics).toEqual(['IMS/alice'])
    expect(rig.session.sent[0]!.opts).toEqual({ qos: 1 })
    expect(JSON.parse(rig.session.payloads[0]!)).toMatchObject({ type: 'moment', id: m.id, from: 'alice', dev: 'alice-dev', ts: m.ts, body: { text: 'first light' } })
    expect(rig.db.prepare(`SELECT reoffer FROM outbox`).all()).toEqual([{ reoffer: 0 }])
    rig.session.sent[0]!.ack()
    await settle()
    expect((await rig.moments.feed({})).moments).toEqual([{ ...m, status: 'sent' }])
    expect(rig.events.filter((e) => e.event === 'moment').map((e) => (e.payload as Moment).status)).toEqual(['pending', 'sent'])
    expect(rig.db.prepare(`SELECT count(*) AS n FROM outbox`).get()).toEqual({ n: 0 })

    await expect(rig.moments.post('   ')).rejects.toMatchObject({ code: 'invalid-argument', message: 'A message cannot be empty.' })
    await expect(rig.moments.post('x'.repeat(MAX_TEXT_LENGTH + 1))).rejects.toMatchObject({ code: 'invalid-argument' })
  })

  it("a post the broker refuses is marked failed", async () => {
    rig.session.autoAck = false
    rig.connect()
    const m = await rig.moments.post('not allowed')
    await settle()
    rig.session.sent[0]!.fail(0x87)
    await settle()
    expect((await rig.moments.feed({})).moments).toEqual([{ ...m, status: 'failed' }])
  })

  it('stores moments of people I follow once (dedupe by id), caps a clock from the future, and emits each new one', async () => {
    rig.contacts.list = ['bob']
    rig.connect()
    const now = Date.now()
    const one = momentFrom('bob', 'one', { ts: now - 1000 })
    await rig.deliver({ topic: 'IMS/bob', payload: one }, { topic: 'IMS/bob', payload: one })
    await rig.deliver({ topic: 'IMS/bob', payload: one }, { topic: 'IMS/bob', payload: momentFrom('bob', 'from the future', { ts: now + 86_400_000 }) })
    const feed = (await rig.moments.feed({})).moments
    expect(feed.map((m) => m.text)).toEqual(['from the future', 'one'])
    expect(feed[0]!.ts).toBeLessThanOrEqual(Date.now() + MAX_CLOCK_SKEW_MS)
    expect(feed[1]).toMatchObject({ author: 'bob', ts: now - 1000, mine: false, status: 'received' })
    expect(rig.events.filter((e) => e.event === 'moment')).toHaveLength(2)
  })

  it('drops bad moments with a logged reason: not JSON, wrong types, someone posing as the author, too long, retained, blocked, empty', async () => {
    rig.contacts.list = ['bob', 'carol']
    rig.connect()
    const good = momentFrom('bob', 'sentinel')
    await rig.deliver(
      { topic: 'IMS/bob', payload: '{not json' },
      { topic: 'IMS/bob', payload: 'plain text' },
      { topic: 'IMS/bob', payload: JSON.stringify({ ...JSON.parse(momentFrom('bob', 'x').toString()), ts: 'yesterday' }) },
      { topic: 'IMS/bob', payload: momentFrom('mallory', 'I am bob') },
      { topic: 'IMS/bob', payload: momentFrom('bob', 'y'.repeat(MAX_TEXT_LENGTH + 1)) },
      { topic: 'IMS/bob', payload: momentFrom('bob', '  ') },
      { topic: 'IMS/bob', payload: encodeEnvelope(envelope('text', 'bob', { text: 'a text on a moments topic' })) },
      { topic: 'IMS/bob', payload: momentFrom('bob', 'retained'), retain: true },
      { topic: 'IMS/bob', payload: good },
    )
    await rig.blocking.block('carol')
    await rig.deliver({ topic: 'IMS/carol', payload: momentFrom('carol', 'blocked') })
    expect((await rig.moments.feed({})).moments.map((m) => m.text)).toEqual(['sentinel'])
    const reasons = rig.log.lines.filter((l) => l.includes('dropped'))
    expect(reasons.join('\n')).toMatch(/malformed JSON/)
    expect(reasons.join('\n')).toMatch(/not a Parley envelope/)
    expect(reasons.join('\n')).toMatch(/invalid envelope: ts/)
    expect(reasons.join('\n')).toMatch(/envelope sender mallory does not match topic sender bob/)
    expect(reasons.join('\n')).toMatch(/invalid envelope: body.text/)
    expect(reasons.join('\n')).toMatch(/empty text/)
    expect(reasons.join('\n')).toMatch(/a text envelope on a moment topic/)
    expect(reasons.join('\n')).toMatch(/dropped a retained message/)
    expect(reasons.join('\n')).toMatch(/the sender is blocked|nothing handles/)
    expect(rig.db.prepare(`SELECT count(*) AS n FROM moments`).get()).toEqual({ n: 1 })
  })

  it('feed: mine and followed people’s, newest first, paged by (ts, id) with ties split by id', async () => {
    rig.contacts.list = ['bob', 'carol']
    rig.connect()
    const T = Date.now() - 100_000
    const id = (n: number) => `01900000-0000-7000-8000-${String(n).padStart(12, '0')}`
    // Five moments at the same ts (ids decide), and older ones.
    const packets = [1, 2, 3, 4, 5].map((n) => ({ topic: 'IMS/bob', payload: momentFrom('bob', `tie ${n}`, { ts: T, id: id(n) }) }))
    await rig.deliver(...packets, { topic: 'IMS/carol', payload: momentFrom('carol', 'older', { ts: T - 10, id: id(9) }) })
    await rig.deliver({ topic: 'IMS/bob', payload: momentFrom('bob', 'oldest', { ts: T - 20, id: id(8) }) })
    const mine = await rig.moments.post('mine, newest')

    const all: string[] = []
    let page = await rig.moments.feed({ limit: 3 })
    all.push(...page.moments.map((m) => m.text))
    while (page.hasMore) {
      const last = page.moments.at(-1)!
      page = await rig.moments.feed({ limit: 3, before: { ts: last.ts, id: last.id } })
      all.push(...page.moments.map((m) => m.text))
    }
    expect(all).toEqual([mine.text, 'tie 5', 'tie 4', 'tie 3', 'tie 2', 'tie 1', 'older', 'oldest'])
    // Exactly a page: no more.
    expect(await rig.moments.feed({ limit: 8 })).toMatchObject({ hasMore: false })
    expect(await rig.moments.feed({ limit: 7 })).toMatchObject({ hasMore: true })
    expect((await rig.moments.feed({})).moments).toHaveLength(8) // default 30
    await expect(rig.moments.feed({ limit: 0 })).rejects.toMatchObject({ code: 'invalid-argument' })

    // Unfollowing carol takes hers out of the feed (kept: following again brings it back).
    await rig.moments.follow('carol', false)
    expect((await rig.moments.feed({})).moments.map((m) => m.text)).not.toContain('older')
    await rig.moments.follow('carol', true)
    expect((await rig.moments.feed({})).moments.map((m) => m.text)).toContain('older')
  })

  it("an Unsub from someone I follow: I stop following them for good and am told, with their notify; a repeat or a stranger's says nothing", async () => {
    rig.contacts.list = ['bob']
    rig.connect()
    await rig.moments.follow('carol', true)
    await rig.deliver({ topic: 'IMS/alice/Inbox/Update/carol/Unsub', payload: unsubFrom('carol', true) })
    expect(await rig.moments.following()).toEqual(['bob'])
    expect(filters(rig)).not.toContain('IMS/carol')
    await rig.deliver({ topic: 'IMS/alice/Inbox/Update/bob/Unsub', payload: unsubFrom('bob', false) })
    await rig.deliver({ topic: 'IMS/alice/Inbox/Update/bob/Unsub', payload: unsubFrom('bob', false) })
    await rig.deliver({ topic: 'IMS/alice/Inbox/Update/zed/Unsub', payload: unsubFrom('zed', true) })
    expect(rig.events.filter((e) => e.event === 'unfollowedBy').map((e) => e.payload)).toEqual([
      { user: 'carol', notify: true },
      { user: 'bob', notify: false },
    ])
    // The contact default does not bring bob back.
    rig.contacts.set(['bob'])
    expect(await rig.moments.following()).toEqual([])

    // Forged or malformed notices change nothing.
    await rig.moments.follow('dave', true)
    await rig.deliver(
      { topic: 'IMS/alice/Inbox/Update/dave/Unsub', payload: unsubFrom('mallory', true) },
      { topic: 'IMS/alice/Inbox/Update/dave/Unsub', payload: '{"v":1}' },
      { topic: 'IMS/alice/Inbox/Update/alice/Unsub', payload: unsubFrom('alice', true) },
      { topic: 'IMS/alice/Inbox/Update/dave/Unsub', payload: unsubFrom('dave', true), retain: true },
    )
    expect(await rig.moments.following()).toEqual(['dave'])
    expect(rig.log.lines.filter((l) => l.includes('dropped an unfollow notice'))).toHaveLength(3)
  })
})
