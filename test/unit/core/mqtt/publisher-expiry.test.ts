import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { publisherRig, settle, type PublisherRig } from './fake-session'

const NOW = 1_800_000_000_000
const TOPIC = 'IMS/bob/Inbox/Add/GFReq/alice'

/** Stored publishes whose owner says when they stop mattering (a friend request lapses). */
describe('Publisher: expiry of stored publishes', () => {
  let rig: PublisherRig
  let expiresAt: number | null
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] })
    vi.setSystemTime(NOW)
    rig = publisherRig({ reofferBaseMs: 1_000, reofferWindowMs: 3_600_000 })
    rig.session.autoAck = true
    expiresAt = NOW + 10_500
    rig.publisher.register('contacts', { expiresAt: () => expiresAt })
  })
  afterEach(() => {
    rig.close()
    vi.useRealTimers()
  })

  const enqueue = (ref: string) => rig.publisher.enqueue({ owner: 'contacts', ref, topic: TOPIC, payload: Buffer.from(ref), reoffer: true })

  it('goes out with what is left as MQTT 5 Message Expiry, rounded down, on the first send and each offer', async () => {
    enqueue('request:bob')
    await settle()
    expect(rig.session.sent.map((p) => p.opts)).toEqual([{ qos: 1, expirySeconds: 10 }])
    vi.advanceTimersByTime(1_000)
    await settle()
    expect(rig.session.sent.map((p) => p.opts.expirySeconds)).toEqual([10, 9])
    // Other owners' publishes carry no expiry.
    rig.enqueue('m1')
    await settle()
    expect(rig.session.sent.at(-1)!.opts.expirySeconds).toBeUndefined()
  })

  it('once past, it is neither sent nor offered again, and leaves the outbox', async () => {
    enqueue('request:bob')
    await settle()
    expect(rig.session.sent).toHaveLength(1)
    // Offered again while time is left (after 1, 3 and 7 s), each time with less of it.
    for (let i = 0; i < 10; i++) {
      vi.advanceTimersByTime(1_000)
      await settle()
    }
    expect(rig.session.sent.map((p) => p.opts.expirySeconds)).toEqual([10, 9, 7, 3])
    // Under a second left: the broker could not hold it for a whole one.
    rig.publisher.onConnected()
    await settle()
    expect(rig.session.sent).toHaveLength(4)
    expect(rig.rows()).toEqual([])
    expect(rig.log.info).toHaveBeenCalledWith('publish expired unsent', { owner: 'contacts', ref: 'request:bob' })

    // Queued while offline and lapsed before the next connection: never sent at all.
    rig.session.connected = false
    expiresAt = Date.now() + 500
    enqueue('request:carol')
    await settle()
    vi.advanceTimersByTime(1_000)
    rig.session.connected = true
    rig.publisher.onConnected()
    await settle()
    expect(rig.session.sent).toHaveLength(4)
    expect(rig.rows()).toEqual([])
  })

  it('an owner that says null (or throws) sends without expiry', async () => {
    expiresAt = null
    enqueue('answer:bob')
    await settle()
    expect(rig.session.sent[0]!.opts.expirySeconds).toBeUndefined()
    rig.publisher.register('contacts', {
      expiresAt: () => {
        throw new Error('boom')
      },
    })
    enqueue('answer:carol')
    await settle()
    expect(rig.session.sent.at(-1)!.opts.expirySeconds).toBeUndefined()
    expect(rig.log.error).toHaveBeenCalledWith('outbox handler failed', { owner: 'contacts', error: 'boom' })
  })
})
