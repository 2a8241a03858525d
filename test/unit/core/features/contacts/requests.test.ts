import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { FriendOutbox } from '../../../../../src/main/core/features/contacts/outbox'
import { FriendRequests, MAX_INCOMING, MAX_REQUEST_MS, type SharedContact } from '../../../../../src/main/core/features/contacts/requests'
import { ContactStore } from '../../../../../src/main/core/features/contacts/store'
import type { Account } from '../../../../../src/main/core/kernel/feature'
import { Codec, envelope } from '../../../../../src/main/core/protocol/codec'
import type { EnvelopeOf } from '../../../../../src/shared/protocol/envelope'
import { publisherRig, type PublisherRig } from '../../mqtt/fake-session'

const ME: Account = { user: 'me', root: 'IMS', deviceId: 'dev1' }
const NOW = 1_800_000_000_000

/** The state machine over a real store and the real outbox (a publisher over a fake session that stays offline). */
describe('friend requests: the state machine', () => {
  let rig: PublisherRig
  let store: ContactStore
  let requests: FriendRequests
  let touched: string[]
  let shared: SharedContact[]

  beforeEach(() => {
    rig = publisherRig()
    rig.session.connected = false
    store = new ContactStore(rig.db)
    touched = []
    shared = []
    requests = new FriendRequests({
      store,
      outbox: new FriendOutbox({ publisher: rig.publisher, codec: new Codec() }),
      log: rig.log,
      touch: (u) => touched.push(u),
      share: (d) => shared.push(d),
    })
  })
  afterEach(() => rig.close())

  const outbox = () => rig.rows().map((r) => [r.ref, r.topic])
  const ask = (from: string, body: Partial<EnvelopeOf<'friend-request'>['body']> = {}, ts = NOW - 1_000): EnvelopeOf<'friend-request'> =>
    envelope('friend-request', from, { action: 'request', expires: NOW + 60_000, ...body }, { ts })
  const answer = (from: string, a: 'accept' | 'decline') => envelope('friend-response', from, { answer: a })

  it('stores a request once; a re-offer changes nothing, a newer one replaces the note, an older one is ignored', () => {
    const first = ask('ann', { note: 'hello' })
    expect(requests.received(ME, 'ann', first, NOW)).toBe('stored')
    expect(requests.received(ME, 'ann', first, NOW)).toBe('unchanged')
    expect(requests.received(ME, 'ann', ask('ann', { note: 'older' }, NOW - 5_000), NOW)).toBe('unchanged')
    expect(requests.received(ME, 'ann', ask('ann', { note: 'newer' }, NOW - 500), NOW)).toBe('stored')
    expect(store.list()).toEqual([{ user: 'ann', state: 'incoming', note: 'newer', since: NOW - 500, expiresAt: NOW + 60_000 }])
    expect(touched).toEqual(['ann', 'ann'])
  })

  it('refuses a lapsed request and cuts a far-off expiry to 30 days; a clock from the future is capped', () => {
    expect(requests.received(ME, 'bo', ask('bo', { expires: NOW }), NOW)).toBe('unchanged')
    expect(rig.log.info).toHaveBeenCalledWith('dropped a friend request', { from: 'bo', reason: 'it lapsed' })
    requests.received(ME, 'cy', ask('cy', { expires: NOW + 10 * MAX_REQUEST_MS }, NOW + 3_600_000), NOW)
    expect(store.get('cy')).toMatchObject({ since: NOW, expiresAt: NOW + MAX_REQUEST_MS })
    // No `expires` at all (a plain client): 30 days from when it was made.
    const bare = envelope('friend-request', 'di', { action: 'request' }, { ts: NOW - 1_000 })
    requests.received(ME, 'di', bare, NOW)
    expect(store.get('di')).toMatchObject({ expiresAt: NOW - 1_000 + MAX_REQUEST_MS })
  })

  it('a declined request is answered again when offered again; a new one from the same person is a new request', () => {
    const e = ask('ed')
    requests.received(ME, 'ed', e, NOW)
    requests.decline(ME, 'ed')
    expect(store.list()).toEqual([])
    expect(outbox()).toEqual([['answer:ed', 'IMS/ed/Inbox/Add/GFResp/me']])
    rig.publisher.cancel('contacts', 'answer:ed')
    expect(requests.received(ME, 'ed', e, NOW)).toBe('unchanged')
    expect(outbox()).toEqual([['answer:ed', 'IMS/ed/Inbox/Add/GFResp/me']])
    expect(JSON.parse(rig.db.prepare(`SELECT payload FROM outbox`).pluck().get() as string).body).toEqual({ answer: 'decline' })
    expect(requests.received(ME, 'ed', ask('ed', { note: 'please?' }), NOW)).toBe('stored')
    expect(store.list()).toMatchObject([{ user: 'ed', state: 'incoming', note: 'please?' }])
  })

  it('a request from a contact is answered with an accept again; asking someone who asked me is an accept', () => {
    requests.received(ME, 'flo', ask('flo'), NOW)
    expect(requests.request(ME, 'flo', null, MAX_REQUEST_MS, NOW)).toMatchObject({ user: 'flo', state: 'contact', delivery: 'queued' })
    expect(outbox()).toEqual([['answer:flo', 'IMS/flo/Inbox/Add/GFResp/me']])
    expect(shared).toMatchObject([{ user: 'flo', state: 'contact', expiresAt: null }])
    rig.publisher.cancel('contacts', 'answer:flo')
    requests.received(ME, 'flo', ask('flo', {}, NOW), NOW)
    expect(outbox()).toEqual([['answer:flo', 'IMS/flo/Inbox/Add/GFResp/me']])
    expect(store.get('flo')).toMatchObject({ state: 'contact' })
  })

  it('my request: offered until answered; an accept makes a contact, a decline removes it, and either stops the offers', () => {
    const c = requests.request(ME, 'gil', 'hi', 60_000, NOW)
    expect(c).toEqual({ user: 'gil', state: 'outgoing', note: 'hi', since: NOW, expiresAt: NOW + 60_000, delivery: 'queued' })
    expect(rig.rows()).toMatchObject([{ ref: 'request:gil', topic: 'IMS/gil/Inbox/Add/GFReq/me', reoffer: 1 }])
    requests.answered('gil', answer('gil', 'accept'), NOW + 1)
    expect(store.list()).toEqual([{ user: 'gil', state: 'contact', note: null, since: NOW + 1, expiresAt: null, delivery: 'sent' }])
    expect(outbox()).toEqual([])

    requests.request(ME, 'hal', null, 60_000, NOW)
    requests.answered('hal', answer('hal', 'decline'), NOW + 1)
    expect(store.get('hal')).toBeNull()
    expect(outbox()).toEqual([])
    // An answer nobody asked for changes nothing.
    requests.answered('ivo', answer('ivo', 'accept'), NOW)
    expect(store.get('ivo')).toBeNull()
  })

  it('withdrawing tells them and stops the offers; their withdrawal removes their request', () => {
    requests.request(ME, 'jo', null, 60_000, NOW)
    requests.cancel(ME, 'jo', NOW + 5)
    expect(store.get('jo')).toBeNull()
    expect(outbox()).toEqual([['cancel:jo', 'IMS/jo/Inbox/Add/GFReq/me']])
    expect(shared.at(-1)).toMatchObject({ user: 'jo', state: 'removed', since: NOW + 5 })
    expect(() => requests.cancel(ME, 'jo')).toThrow('You have no pending friend request to jo.')

    requests.received(ME, 'kai', ask('kai'), NOW)
    expect(requests.received(ME, 'kai', envelope('friend-request', 'kai', { action: 'cancel' }), NOW)).toBe('changed')
    expect(store.get('kai')).toBeNull()
    expect(requests.received(ME, 'lu', envelope('friend-request', 'lu', { action: 'cancel' }), NOW)).toBe('unchanged')
  })

  it(`keeps at most ${MAX_INCOMING} incoming requests, dropping the oldest with one log line`, () => {
    const put = rig.db.transaction(() => {
      for (let i = 0; i < MAX_INCOMING + 10; i++) requests.received(ME, `u${i}`, ask(`u${i}`, {}, NOW - 100_000 + i), NOW)
    })
    put()
    expect(requests.trim()).toBe(10)
    expect(store.count('incoming')).toBe(MAX_INCOMING)
    expect(store.get('u0')).toBeNull()
    expect(store.get('u9')).toBeNull()
    expect(store.get('u10')).not.toBeNull()
    expect(rig.log.warn).toHaveBeenCalledTimes(1)
    expect(rig.log.warn).toHaveBeenCalledWith('dropped the oldest friend requests', { count: 10, reason: `more than ${MAX_INCOMING} pending` })
    expect(requests.trim()).toBe(0)
  })

  it('lapsed requests leave, mine with their outbox entry; declined ones leave quietly', () => {
    requests.request(ME, 'max', null, 1_000, NOW)
    requests.received(ME, 'ned', ask('ned', { expires: NOW + 2_000 }), NOW)
    requests.received(ME, 'oz', ask('oz', { expires: NOW + 1_500 }), NOW)
    requests.decline(ME, 'oz')
    expect(store.nextExpiry()).toBe(NOW + 1_000)
    touched = []
    expect(requests.expire(NOW + 999)).toBe(0)
    expect(requests.expire(NOW + 1_500)).toBe(2)
    expect(touched).toEqual(['max'])
    expect(rig.rows().map((r) => r.ref)).toEqual(['answer:oz'])
    expect(store.list().map((c) => c.user)).toEqual(['ned'])
  })

  it("applies my other devices' news unless it is older than what is here", () => {
    requests.received(ME, 'pia', ask('pia'), NOW)
    requests.applyShared({ user: 'pia', state: 'contact', note: null, since: NOW + 10, expiresAt: null, requestId: null }, NOW)
    expect(store.get('pia')).toMatchObject({ state: 'contact', expiresAt: null })
    requests.applyShared({ user: 'pia', state: 'removed', note: null, since: NOW, expiresAt: null, requestId: null }, NOW)
    expect(store.get('pia')).toMatchObject({ state: 'contact' })
    requests.applyShared({ user: 'pia', state: 'removed', note: null, since: NOW + 20, expiresAt: null, requestId: null }, NOW)
    expect(store.get('pia')).toBeNull()
    requests.applyShared({ user: 'quin', state: 'outgoing', note: 'hey', since: NOW, expiresAt: NOW + 100, requestId: null }, NOW)
    expect(store.list()).toEqual([{ user: 'quin', state: 'outgoing', note: 'hey', since: NOW, expiresAt: NOW + 100 }])
    // Already lapsed, or pending without an end: ignored.
    requests.applyShared({ user: 'rex', state: 'outgoing', note: null, since: NOW, expiresAt: NOW, requestId: null }, NOW)
    requests.applyShared({ user: 'sol', state: 'outgoing', note: null, since: NOW, expiresAt: null, requestId: null }, NOW)
    expect(store.get('rex')).toBeNull()
    expect(store.get('sol')).toBeNull()
  })
})
