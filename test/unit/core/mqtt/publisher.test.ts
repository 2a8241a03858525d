import { afterEach, describe, expect, it } from 'vitest'
import { FakeSession, publisherRig, settle, type PublisherRig } from './fake-session'

describe('Publisher: stored publishes', () => {
  let rig: PublisherRig
  afterEach(() => rig.close())

  it('enqueue → published at QoS 1 → PUBACK → acked handler, and the row is gone', async () => {
    rig = publisherRig()
    rig.enqueue('m1', 'IMS/bob/Inbox/Msg/alice')
    rig.enqueue('m2', 'IMS/carol/Inbox/Msg/alice')
    expect(rig.rows().map((r) => [r.ref, r.state])).toEqual([
      ['m1', 'queued'],
      ['m2', 'queued'],
    ])
    expect(rig.session.sent).toEqual([]) // after the caller's transaction, not inside it
    await settle()
    expect(rig.session.topics).toEqual(['IMS/bob/Inbox/Msg/alice', 'IMS/carol/Inbox/Msg/alice'])
    expect(rig.session.payloads).toEqual(['m1', 'm2'])
    expect(rig.session.sent.map((p) => p.opts)).toEqual([{ qos: 1 }, { qos: 1 }])
    expect(rig.acked).toEqual([])
    rig.session.sent[1]!.ack()
    rig.session.sent[0]!.ack()
    await settle()
    expect(rig.acked).toEqual(['m2', 'm1'])
    expect(rig.rows()).toEqual([])
  })

  it('an enqueue inside a transaction that rolls back publishes nothing', async () => {
    rig = publisherRig()
    expect(() =>
      rig.db.transaction(() => {
        rig.enqueue('m1')
        throw new Error('boom')
      })(),
    ).toThrow('boom')
    await settle()
    expect(rig.session.sent).toEqual([])
    expect(rig.rows()).toEqual([])
  })

  it('does nothing while disconnected; the row waits and goes out on the next connection', async () => {
    rig = publisherRig()
    rig.session.connected = false
    rig.enqueue('m1')
    await settle()
    rig.setSession(null)
    rig.publisher.flush()
    expect(rig.session.sent).toEqual([])
    expect(rig.rows().map((r) => r.state)).toEqual(['queued'])
    rig.setSession(rig.session)
    rig.session.connected = true
    rig.session.autoAck = true
    rig.publisher.onConnected()
    await settle()
    expect(rig.session.payloads).toEqual(['m1'])
    expect(rig.acked).toEqual(['m1'])
  })

  it('does not publish a row twice while its publish is in flight', async () => {
    rig = publisherRig()
    rig.enqueue('m1')
    await settle()
    rig.publisher.flush()
    rig.publisher.flush()
    expect(rig.session.sent).toHaveLength(1)
    rig.session.sent[0]!.ack()
    await settle()
    expect(rig.acked).toEqual(['m1'])
  })

  it('a lost publish (no reason code) stays queued, is logged, and goes out again on the next flush', async () => {
    rig = publisherRig()
    rig.enqueue('m1')
    await settle()
    rig.session.sent[0]!.fail(undefined, 'connection lost')
    await settle()
    expect(rig.log.info).toHaveBeenCalledWith('publish stays queued', { owner: 'messages', ref: 'm1', reason: 'connection lost' })
    expect(rig.failed).toEqual([])
    expect(rig.rows().map((r) => [r.state, r.drops])).toEqual([['queued', 0]])
    rig.session.autoAck = true
    rig.publisher.flush()
    await settle()
    expect(rig.session.payloads).toEqual(['m1', 'm1'])
    expect(rig.acked).toEqual(['m1'])
  })

  it.each([
    [0x87, /not authorized/],
    [0x90, /refused the topic name/],
    [0x97, /quota/],
    [0x95, /^The broker refused the message \(reason 149\)\.$/],
  ])('a PUBACK with reason code %i → failed handler with a readable reason; the next message still goes out', async (code, reason) => {
    rig = publisherRig()
    rig.enqueue('bad')
    rig.enqueue('good')
    await settle()
    rig.session.sent[0]!.fail(code, `Publish error: ${code}`)
    rig.session.sent[1]!.ack()
    await settle()
    expect(rig.failed).toEqual([['bad', expect.stringMatching(reason)]])
    expect(rig.failed[0]![1]).not.toMatch(/Publish error/)
    expect(rig.acked).toEqual(['good'])
    expect(rig.rows().map((r) => [r.ref, r.state])).toEqual([['bad', 'failed']])
    // A failed row is not sent again by a flush or a new connection...
    rig.session.autoAck = true
    rig.enqueue('later')
    rig.publisher.onConnected()
    await settle()
    expect(rig.session.payloads).toEqual(['bad', 'good', 'later'])
    expect(rig.acked).toEqual(['good', 'later'])
  })

  it('retry() requeues a failed publish and sends it; it is false for one that is not failed', async () => {
    rig = publisherRig()
    rig.enqueue('m1')
    await settle()
    rig.session.sent[0]!.fail(0x87)
    await settle()
    expect(rig.failed.map((f) => f[0])).toEqual(['m1'])
    rig.session.autoAck = true
    expect(rig.publisher.retry('messages', 'm1')).toBe(true)
    expect(rig.rows().map((r) => [r.state, r.drops])).toEqual([['queued', 0]])
    await settle()
    expect(rig.session.payloads).toEqual(['m1', 'm1'])
    expect(rig.acked).toEqual(['m1'])
    expect(rig.publisher.retry('messages', 'm1')).toBe(false) // gone now
    rig.enqueue('m2')
    expect(rig.publisher.retry('messages', 'm2')).toBe(false) // queued, not failed
    expect(rig.publisher.retry('receipts', 'm2')).toBe(false) // another owner's ref
  })

  it('cancel forgets a publish whatever its state', async () => {
    rig = publisherRig()
    rig.session.connected = false
    rig.enqueue('m1')
    rig.publisher.cancel('messages', 'm1')
    rig.session.connected = true
    rig.publisher.onConnected()
    await settle()
    expect(rig.session.sent).toEqual([])
    expect(rig.rows()).toEqual([])
  })

  it('a throwing handler is logged and does not keep the row', async () => {
    rig = publisherRig()
    rig.publisher.register('typing', {
      acked() {
        throw new Error('handler bug')
      },
    })
    rig.session.autoAck = true
    rig.publisher.enqueue({ owner: 'typing', ref: 'r', topic: 't', payload: Buffer.from('x') })
    await settle()
    expect(rig.rows()).toEqual([])
    expect(rig.log.error).toHaveBeenCalledWith('outbox handler failed', { owner: 'typing', error: 'handler bug' })
  })

  it('(owner, ref) is one row: enqueueing it again replaces it and puts it back in the queue', async () => {
    rig = publisherRig()
    rig.session.connected = false
    rig.enqueue('m1', 'IMS/a/Inbox/Msg/x')
    rig.enqueue('m1', 'IMS/b/Inbox/Msg/x')
    expect(rig.rows().map((r) => [r.ref, r.topic])).toEqual([['m1', 'IMS/b/Inbox/Msg/x']])
  })
})

describe('Publisher: suspects (in flight when the connection dropped)', () => {
  let rig: PublisherRig
  afterEach(() => rig.close())

  it('the same row in flight at two disconnects in a row → failed; one we cut ourselves does not count', async () => {
    rig = publisherRig()
    rig.enqueue('poison')
    await settle()
    expect(rig.session.sent).toHaveLength(1)
    rig.publisher.onDisconnected(true) // we cut it (a failed commit): not the message's fault
    expect(rig.rows()[0]).toMatchObject({ state: 'queued', drops: 0 })
    rig.publisher.onConnected()
    await settle()
    expect(rig.session.sent).toHaveLength(2)
    rig.publisher.onDisconnected()
    expect(rig.rows()[0]).toMatchObject({ state: 'queued', drops: 1 })
    expect(rig.failed).toEqual([])
    rig.publisher.onConnected()
    await settle()
    expect(rig.session.sent).toHaveLength(3)
    rig.publisher.onDisconnected()
    expect(rig.failed).toEqual([['poison', 'The broker closed the connection each time this was sent.']])
    expect(rig.rows()[0]).toMatchObject({ state: 'failed' })
    rig.publisher.onConnected()
    await settle()
    expect(rig.session.sent).toHaveLength(3) // not sent again
  })

  it('a row not in flight at the disconnect is not a suspect', async () => {
    rig = publisherRig()
    rig.enqueue('m1')
    await settle()
    rig.session.sent[0]!.ack()
    rig.enqueue('m2')
    await settle()
    rig.session.sent[1]!.fail(undefined, 'lost') // settled before the drop
    await settle()
    rig.publisher.onDisconnected()
    expect(rig.rows().map((r) => [r.ref, r.drops])).toEqual([['m2', 0]])
  })

  it('suspects go out one at a time, once the clean rows have their outcome', async () => {
    rig = publisherRig()
    rig.enqueue('s1')
    rig.enqueue('s2')
    await settle()
    rig.publisher.onDisconnected() // both in flight: both suspects now
    expect(rig.rows().map((r) => r.drops)).toEqual([1, 1])
    rig.enqueue('clean1')
    rig.enqueue('clean2')
    const reconnected = new FakeSession()
    rig.setSession(reconnected)
    rig.publisher.onConnected()
    await settle()
    // The clean rows first; no suspect while they are in flight.
    expect(reconnected.payloads).toEqual(['clean1', 'clean2'])
    reconnected.sent[0]!.ack()
    reconnected.sent[1]!.ack()
    await settle()
    expect(reconnected.payloads).toEqual(['clean1', 'clean2', 's1'])
    reconnected.sent[2]!.ack()
    await settle()
    expect(reconnected.payloads).toEqual(['clean1', 'clean2', 's1', 's2'])
    reconnected.sent[3]!.fail(0x90)
    await settle()
    expect(rig.acked).toEqual(['clean1', 'clean2', 's1'])
    expect(rig.failed.map((f) => f[0])).toEqual(['s2'])
    expect(rig.rows().map((r) => [r.ref, r.state])).toEqual([['s2', 'failed']])
  })
})
