/**
 * What a dropped connection means for what was in flight: only a publish that went
 * out just before the broker hung up, alone, is blamed; a suspect that was waiting
 * when the connection went is sent again next time (MQTT.js never settles it).
 */
import { afterEach, describe, expect, it, vi } from 'vitest'
import { FakeSession, publisherRig, settle, type PublisherRig } from './fake-session'

describe('Publisher: dropped connections', () => {
  let rig: PublisherRig
  afterEach(() => {
    vi.useRealTimers()
    rig.close()
  })

  /** Connects `rig` to a fresh fake session (a reconnect) and returns it. */
  async function reconnect(): Promise<FakeSession> {
    const s = new FakeSession()
    rig.setSession(s)
    rig.publisher.onConnected()
    await settle()
    return s
  }

  it('a suspect waiting for its PUBACK when the connection drops is sent again on the next connection', async () => {
    rig = publisherRig()
    rig.enqueue('poison')
    await settle()
    rig.publisher.onDisconnected() // alone and just sent: a suspect
    let s = await reconnect()
    expect(s.payloads).toEqual(['poison'])
    // The connection goes for another reason (we cut it); MQTT.js never settles the publish.
    rig.publisher.onDisconnected(true)
    s = await reconnect()
    expect(s.payloads).toEqual(['poison'])
    s.sent[0]!.ack()
    await settle()
    expect(rig.acked).toEqual(['poison'])
  })

  it('a connection lost long after the publish (a keepalive timeout, a sleeping laptop) blames nothing', async () => {
    vi.useFakeTimers({ toFake: ['Date'] })
    rig = publisherRig()
    rig.enqueue('m1')
    await settle()
    vi.setSystemTime(Date.now() + 45_000)
    rig.publisher.onDisconnected()
    expect(rig.rows()[0]).toMatchObject({ state: 'queued', drops: 0 })
  })

  it('with several in flight, a drop makes them suspects but fails none of them', async () => {
    rig = publisherRig()
    rig.enqueue('a')
    rig.enqueue('b')
    await settle()
    rig.publisher.onDisconnected()
    rig.publisher.onDisconnected()
    expect(rig.rows().map((r) => [r.ref, r.state, r.drops])).toEqual([
      ['a', 'queued', 1],
      ['b', 'queued', 1],
    ])
    expect(rig.failed).toEqual([])
  })

  it('does not poll for re-offers while offline', async () => {
    rig = publisherRig({ reofferBaseMs: 20, reofferWindowMs: 60_000 })
    rig.session.autoAck = true
    rig.enqueue('m1', 'IMS/dave/Inbox/Msg/alice', true)
    await settle()
    rig.session.connected = false
    rig.publisher.onDisconnected()
    const before = rig.session.sent.length
    await new Promise((r) => setTimeout(r, 200))
    expect(rig.session.sent.length).toBe(before)
    rig.session.connected = true
    rig.publisher.onConnected() // offers it again at once
    await settle()
    expect(rig.session.sent.length).toBe(before + 1)
  })
})
