/**
 * The typing indicator over a real Mosquitto: throttled on the way out (counted
 * on the wire), shown until it expires or a message from that person arrives,
 * never stored.
 */
import { describe, expect, it } from 'vitest'
import { TYPING_SHOWN_MS, TYPING_THROTTLE_MS } from '../../src/main/core/features/typing'
import { freePort } from '../helpers/mosquitto'
import { FAST, record, sleep, urlBroker, useMosquittoLab, waitFor } from '../helpers/core'

describe('typing', () => {
  const env = useMosquittoLab({ tuning: FAST })

  it('one notice per throttle window, shown until it expires, nothing stored', async () => {
    const alice = await env.lab.open('alice', urlBroker(env.broker.url))
    const bob = await env.lab.open('bob', urlBroker(env.broker.url))
    await alice.connected()
    await bob.connected()
    const raw = await env.lab.client(env.broker.url)
    const wire = await record(raw, 'IMS/bob/Inbox/Typing/+')

    const started = Date.now()
    await alice.services.typing.typing('dm:bob')
    await waitFor(() => bob.typings().length === 1, 'bob to see alice typing')
    expect(bob.typings()[0]).toEqual({ conversationId: 'dm:alice', user: 'alice', typing: true })
    await waitFor(() => wire.length === 1, 'the notice on the wire')
    expect(wire[0]).toMatchObject({ topic: 'IMS/bob/Inbox/Typing/alice', retain: false })
    expect(JSON.parse(wire[0]!.payload.toString())).toMatchObject({ type: 'typing', from: 'alice' })

    // More keystrokes within the throttle window: nothing more goes out.
    for (let i = 0; i < 5; i++) {
      await alice.services.typing.typing('dm:bob')
      await sleep(100)
    }
    expect(Date.now() - started).toBeLessThan(TYPING_THROTTLE_MS)
    expect(wire).toHaveLength(1)
    expect(bob.typings()).toHaveLength(1)

    // Nothing stored on either side: no conversation, no message, no outbox entry.
    expect(await bob.services.conversations.list()).toEqual([])
    expect(await alice.services.conversations.list()).toEqual([])
    expect(await bob.history('alice')).toEqual([])
    for (const node of [alice, bob]) {
      expect(node.query('SELECT count(*) AS n FROM messages')).toEqual([{ n: 0 }])
      expect(node.query('SELECT count(*) AS n FROM outbox')).toEqual([{ n: 0 }])
    }

    // Not refreshed: the notice ends on its own.
    const ended = await waitFor(() => bob.typings().find((t) => !t.typing), 'the notice to expire', TYPING_SHOWN_MS + 3_000)
    expect(ended).toEqual({ conversationId: 'dm:alice', user: 'alice', typing: false })
    expect(Date.now() - started).toBeGreaterThanOrEqual(TYPING_SHOWN_MS - 200)
    expect(wire).toHaveLength(1)
  })

  it("alice's message ends her typing notice at once, and her next keystroke notifies again", async () => {
    const alice = await env.lab.open('alice2', urlBroker(env.broker.url))
    const bob = await env.lab.open('bob2', urlBroker(env.broker.url))
    await alice.connected()
    await bob.connected()
    const raw = await env.lab.client(env.broker.url)
    const wire = await record(raw, 'IMS/bob2/Inbox/Typing/+')

    await alice.services.typing.typing('dm:bob2')
    await waitFor(() => bob.typings().length === 1, 'bob2 to see alice2 typing')
    const sent = await alice.send('bob2', 'done typing')
    await waitFor(() => bob.messages().some((m) => m.id === sent.id), 'the message')
    // The notice ended when the message arrived, long before it would have expired.
    await waitFor(() => bob.typings().length === 2, 'the notice to end', 1_000)
    expect(bob.typings().map((t) => t.typing)).toEqual([true, false])
    const order = bob.events.filter((e) => e.event === 'typing' || e.event === 'message').map((e) => e.event)
    expect(order.indexOf('message')).toBeLessThan(order.lastIndexOf('typing'))

    // Sending resets the throttle: the next keystroke says so again right away.
    await alice.services.typing.typing('dm:bob2')
    await waitFor(() => wire.length === 2, 'a second notice on the wire', 1_000)
    await waitFor(() => bob.typings().length === 3, 'bob2 to see alice2 typing again', 1_000)
    // Only the message was stored.
    expect((await bob.history('alice2')).map((m) => m.text)).toEqual(['done typing'])
  })

  it('typing to a name that is not valid, or while offline, sends nothing and does not throw', async () => {
    const alice = await env.lab.open('alice3', urlBroker(env.broker.url))
    await alice.connected()
    const raw = await env.lab.client(env.broker.url)
    const wire = await record(raw, 'IMS/+/Inbox/Typing/alice3')
    await alice.services.typing.typing('dm:x\u0085y')
    await alice.services.typing.typing('dm:bob3') // the sentinel
    await waitFor(() => wire.length > 0, 'the sentinel notice')
    await sleep(100)
    expect(wire.map((w) => w.topic)).toEqual(['IMS/bob3/Inbox/Typing/alice3'])

    const offline = await env.lab.open('carol3', urlBroker(`mqtt://127.0.0.1:${await freePort()}`))
    await waitFor(() => offline.status.state === 'reconnecting', 'carol3 to fail to connect')
    await expect(offline.services.typing.typing('dm:bob3')).resolves.toBeUndefined()
    expect(await offline.services.conversations.list()).toEqual([])
  })
})
