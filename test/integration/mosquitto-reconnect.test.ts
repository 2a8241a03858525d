/**
 * Connection trouble against a real Mosquitto: a broker restart, a broker that is
 * not there (yet), and a broker that refuses us.
 */
import { describe, expect, it } from 'vitest'
import { freePort } from '../helpers/mosquitto'
import { MqttSession } from '../../src/main/core/mqtt/session'
import { MemoryLog, useMosquittoLab, sleep, urlBroker, waitFor } from '../helpers/core'

describe('connection trouble', () => {
  const env = useMosquittoLab()

  it('reconnects after a broker restart and receives what is sent afterwards', async () => {
    const bob = await env.lab.open('bob', urlBroker(env.broker.url))
    const alice = await env.lab.open('alice', urlBroker(env.broker.url))
    await bob.connected()
    await alice.connected()
    const mark = bob.statuses().length

    await env.broker.restart()
    await waitFor(() => bob.statuses().slice(mark).some((s) => s.state === 'reconnecting'), 'bob to notice the restart')
    await bob.connected(10_000)
    await alice.connected(10_000)
    const after = bob.statuses().slice(mark)
    const firstReconnecting = after.findIndex((s) => s.state === 'reconnecting')
    const reconnected = after.findIndex((s, i) => i > firstReconnecting && s.state === 'connected')
    expect(firstReconnecting).toBeGreaterThanOrEqual(0)
    expect(reconnected).toBeGreaterThan(firstReconnecting)
    expect(after[reconnected]!.protocolVersion).toBe(5)
    // Back-off starts small: the first retry after losing a connection is within a second.
    expect(after[firstReconnecting]!.retryInMs).toBeLessThanOrEqual(1_000)

    const sent = await alice.send('bob', 'after the restart')
    const got = await waitFor(() => bob.messages().find((m) => m.id === sent.id), 'bob to receive after the restart')
    expect(got.text).toBe('after the restart')
  })

  it('a broker URL on a closed port: reconnecting with a reason and a retry time, no throw', async () => {
    const port = await freePort()
    const node = await env.lab.open('carol', urlBroker(`mqtt://127.0.0.1:${port}`))
    const status = await waitFor(() => node.statuses().find((s) => s.state === 'reconnecting' && s.retryInMs !== null && s.retryInMs > 0), 'a scheduled retry')
    expect(status.detail).toMatch(/^Nothing answers at mqtt:\/\/127\.0\.0\.1:\d+\. Is the broker running\?$/)
    expect(status.broker).toBe(`mqtt://127.0.0.1:${port}`)
    expect(status.retryInMs).toBeGreaterThan(0)
    expect(status.retryInMs).toBeLessThanOrEqual(30_000)
    const state = await node.services.account.getState()
    expect(state).toMatchObject({ configured: true, user: 'carol', connection: { state: expect.stringMatching(/connecting|reconnecting/) } })
    // Still usable offline.
    expect((await node.send('dave', 'queued')).status).toBe('pending')
    await node.services.account.reconnect()
    await sleep(100)
    expect(node.status.state).not.toBe('connected')
  })

  it('stays on MQTT 5 when the broker is merely down at start-up', async () => {
    // Nothing listens on `port` at first; then the relay makes Mosquitto appear there.
    const port = await freePort()
    const node = await env.lab.open('erin', urlBroker(`mqtt://127.0.0.1:${port}`))
    await waitFor(() => node.statuses().filter((s) => s.state === 'reconnecting').length >= 1, 'the first failed attempt')
    await env.lab.relay(port, env.broker.port)
    await node.services.account.reconnect()
    const status = await node.connected(10_000)
    // A refused TCP connection says nothing about the MQTT version the broker speaks;
    // Mosquitto speaks 5, and only MQTT 5 carries the session expiry.
    expect(status.protocolVersion).toBe(5)
  })

  it('a failed commit withholds the acks and reconnects, so the broker delivers everything again', async () => {
    let failing = true
    const stored: string[] = []
    const session = new MqttSession(
      { url: env.broker.url, clientId: 'commit-fails', protocol: 5, sessionExpirySeconds: 600 },
      {
        subscriptions: () => ({ 'flaky/#': { qos: 1 } }),
        onMessages(packets) {
          if (failing) throw new Error('SQLITE_BUSY: database is locked')
          stored.push(...packets.map((p) => p.payload.toString()))
        },
        onConnected() {},
        onStatus() {},
      },
      new MemoryLog('flaky'),
    )
    session.start()
    try {
      await waitFor(() => session.connected, 'the session to connect')
      const pub = await env.lab.client(env.broker.url)
      // More than Mosquitto's in-flight window of 20, which an unacked session would exhaust.
      for (let i = 0; i < 30; i++) pub.publish('flaky/x', `m${i}`, { qos: 1 })
      await sleep(500)
      failing = false
      for (let i = 30; i < 35; i++) pub.publish('flaky/x', `m${i}`, { qos: 1 })
      await waitFor(() => new Set(stored).size === 35, 'all 35 messages to be stored', 15_000)
    } finally {
      await session.stop()
    }
  })

  it('a message whose PUBACK was lost with the connection is sent again, and arrives once', async () => {
    const port = await freePort()
    const relay = await env.lab.relay(port, env.broker.port)
    const bob = await env.lab.open('bob9', urlBroker(env.broker.url))
    const alice = await env.lab.open('alice9', urlBroker(`mqtt://127.0.0.1:${port}`))
    await bob.connected()
    await alice.connected()
    relay.freeze()
    const sent = await alice.send('bob9', 'lost in the network')
    await sleep(200)
    expect((await alice.history('bob9')).map((m) => m.status)).toEqual(['pending'])
    relay.dropConnections()
    // Sent again after reconnecting: the broker acknowledges it (sent) and bob's receipt may already be in (delivered).
    await waitFor(async () => ['sent', 'delivered'].includes((await alice.history('bob9'))[0]?.status ?? ''), 'the message to be sent after reconnecting', 15_000)
    await waitFor(async () => (await bob.history('alice9')).length === 1, 'bob to receive it')
    await sleep(300)
    expect((await bob.history('alice9')).map((m) => [m.id, m.text])).toEqual([[sent.id, 'lost in the network']])
    await waitFor(async () => (await alice.history('bob9'))[0]?.status === 'delivered', "bob9's delivery receipt")
  })

  it('a broker that drops us right after accepting is not hammered: the back-off only starts over after a stable connection', async () => {
    // Each run: a relay in front of Mosquitto cuts every connection ~80 ms after it opens.
    const retriesWith = async (stableAfterMs: number): Promise<number[]> => {
      const port = await freePort()
      const relay = await env.lab.relay(port, env.broker.port)
      const retries: number[] = []
      const session = new MqttSession(
        {
          url: `mqtt://127.0.0.1:${port}`,
          clientId: `flapping-${stableAfterMs}`,
          protocol: 5,
          sessionExpirySeconds: 60,
          stableAfterMs,
          backoff: { baseMs: 50, capMs: 5_000, floorMs: 10 },
        },
        {
          subscriptions: () => ({}),
          onMessages() {},
          onConnected: () => void setTimeout(() => relay.dropConnections(), 80),
          onStatus: (s) => {
            if (s.state === 'reconnecting' && s.retryInMs !== null) retries.push(s.retryInMs)
          },
        },
        new MemoryLog('flapping'),
      )
      session.start()
      try {
        await waitFor(() => retries.length >= 7, 'seven retries', 20_000)
      } finally {
        await session.stop()
      }
      return retries.slice(0, 7)
    }
    // Control: when every connection counts as stable, each retry starts from the first step again.
    const hammering = await retriesWith(1)
    expect(Math.max(...hammering.slice(1))).toBeLessThanOrEqual(50)
    // As shipped (stable after 30 s): the ceiling doubles each time (50·2^n ms, jittered), so among
    // retries 4–7 one waits over 100 ms (all four at or under it: a chance of about 4 in 100,000).
    const patient = await retriesWith(30_000)
    expect(Math.max(...patient.slice(3))).toBeGreaterThan(100)
  })
})

describe('a broker that refuses us', () => {
  const env = useMosquittoLab({ config: ['allow_anonymous false'] })

  it('bad credentials: an error state that says so, and no retry loop', async () => {
    const node = await env.lab.open('frank', urlBroker(env.broker.url, { username: 'frank', password: 'wrong' }))
    const status = await waitFor(() => node.statuses().find((s) => s.state === 'error'), 'the refusal')
    expect(status.detail).toMatch(/refused the user name or password/)
    expect(status.retryInMs).toBeNull()
    const count = node.statuses().length
    await sleep(1_500)
    expect(node.statuses().length).toBe(count)
    expect(node.status.state).toBe('error')
    const state = await node.services.account.getState()
    expect(state.broker).toEqual({ kind: 'url', url: env.broker.url, username: 'frank', hasPassword: true, hasCa: false })
    expect(JSON.stringify(state)).not.toContain('wrong')
  })
})
