import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { publisherRig, settle, type PublisherRig } from './fake-session'

const BASE = 1_000
const TO_BOB = 'IMS/bob/Inbox/Msg/alice'
const TO_CAROL = 'IMS/carol/Inbox/Msg/alice'

/** Re-offers: publishes kept after their PUBACK until the owner confirms them (a delivery receipt). */
describe('Publisher: re-offers', () => {
  let rig: PublisherRig
  beforeEach(() => {
    // Only timeouts and the clock: setImmediate (the flush) stays real.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] })
    vi.setSystemTime(1_800_000_000_000)
    rig = publisherRig({ reofferBaseMs: BASE, reofferWindowMs: 3_600_000 })
    rig.session.autoAck = true
  })
  afterEach(() => {
    rig.close()
    vi.useRealTimers()
  })

  const sendAcked = async (ref: string, topic = TO_BOB) => {
    rig.enqueue(ref, topic, true)
    await settle()
  }

  it('after the PUBACK the row is kept as acked (the owner is told once) and offered again on every connection', async () => {
    await sendAcked('m1')
    expect(rig.acked).toEqual(['m1'])
    expect(rig.rows()).toMatchObject([{ ref: 'm1', state: 'acked', reoffer: 1, offers: 1 }])
    rig.publisher.onConnected()
    rig.publisher.onConnected()
    await settle()
    expect(rig.session.payloads).toEqual(['m1', 'm1', 'm1'])
    expect(rig.session.sent.every((p) => p.opts.qos === 1 && p.topic === TO_BOB)).toBe(true)
    expect(rig.acked).toEqual(['m1']) // re-offers do not announce anything
    expect(rig.rows()).toMatchObject([{ state: 'acked', offers: 3 }])
  })

  it('is offered again when due, at doubling intervals', async () => {
    await sendAcked('m1')
    expect(rig.session.sent).toHaveLength(1)
    const offersAfter = async (ms: number) => {
      vi.advanceTimersByTime(ms)
      await settle()
      return rig.session.sent.length - 1
    }
    expect(await offersAfter(BASE - 1)).toBe(0)
    expect(await offersAfter(1)).toBe(1)
    expect(await offersAfter(2 * BASE - 1)).toBe(1)
    expect(await offersAfter(1)).toBe(2)
    expect(await offersAfter(4 * BASE - 1)).toBe(2)
    expect(await offersAfter(1)).toBe(3)
    expect(rig.session.payloads).toEqual(['m1', 'm1', 'm1', 'm1'])
  })

  it('confirm stops it: no more offers, on a timer or a connection', async () => {
    await sendAcked('m1')
    await sendAcked('m2')
    rig.publisher.confirm('messages', 'm1')
    expect(rig.rows().map((r) => r.ref)).toEqual(['m2'])
    vi.advanceTimersByTime(BASE)
    rig.publisher.onConnected()
    await settle()
    expect(rig.session.payloads).toEqual(['m1', 'm2', 'm2', 'm2'])
    rig.publisher.confirm('messages', 'm2')
    vi.advanceTimersByTime(100 * BASE)
    rig.publisher.onConnected()
    await settle()
    expect(rig.session.sent).toHaveLength(4)
    expect(rig.rows()).toEqual([])
  })

  it('a row without reoffer is removed at its PUBACK and never offered again', async () => {
    rig.enqueue('once', TO_BOB, false)
    await settle()
    rig.publisher.onConnected()
    vi.advanceTimersByTime(10 * BASE)
    await settle()
    expect(rig.session.payloads).toEqual(['once'])
    expect(rig.rows()).toEqual([])
  })

  it('reofferTopic offers now only the unconfirmed publishes on that topic, and only when connected', async () => {
    await sendAcked('b1', TO_BOB)
    await sendAcked('c1', TO_CAROL)
    await sendAcked('b2', TO_BOB)
    rig.enqueue('plain', TO_BOB, false)
    await settle()
    rig.session.sent.length = 0
    rig.publisher.reofferTopic(TO_BOB)
    await settle()
    expect(rig.session.payloads).toEqual(['b1', 'b2'])
    rig.session.connected = false
    rig.publisher.reofferTopic(TO_BOB)
    rig.publisher.reofferTopic(TO_CAROL)
    await settle()
    expect(rig.session.payloads).toEqual(['b1', 'b2'])
  })

  it('stops offering what is older than the re-offer window', async () => {
    await sendAcked('old')
    await sendAcked('new')
    rig.db.prepare(`UPDATE outbox SET created_at = ? WHERE ref = 'old'`).run(Date.now() - 3_600_001)
    rig.session.sent.length = 0
    rig.publisher.onConnected()
    await settle()
    expect(rig.session.payloads).toEqual(['new'])
    expect(rig.rows().map((r) => r.ref)).toEqual(['new'])
  })

  it('close() stops the offer timer', async () => {
    await sendAcked('m1')
    rig.publisher.close()
    vi.advanceTimersByTime(100 * BASE)
    await settle()
    expect(rig.session.sent).toHaveLength(1)
  })
})
