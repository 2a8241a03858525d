/**
 * Two Parley engines chatting through a real Mosquitto (MQTT 5, persistent sessions),
 * plus plain MQTT clients talking to them.
 */
import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { EnvelopeSchema } from '../../src/shared/protocol/envelope'
import { encodeEnvelope, textEnvelope } from '../../src/main/core/protocol/codec'
import { freePort } from '../helpers/mosquitto'
import { publish, useMosquittoLab, sleep, urlBroker, waitFor } from '../helpers/core'

const MOSQUITTO_PUB = '/usr/bin/mosquitto_pub'

describe('Parley over Mosquitto', () => {
  const env = useMosquittoLab()

  it('alice and bob chat both ways', async () => {
    const bob = await env.lab.open('bob', urlBroker(env.broker.url))
    const alice = await env.lab.open('alice', urlBroker(env.broker.url))
    const bobStatus = await bob.connected()
    const aliceStatus = await alice.connected()
    expect(bobStatus).toMatchObject({ state: 'connected', protocolVersion: 5, broker: env.broker.url, detail: null, retryInMs: null })
    expect(aliceStatus.protocolVersion).toBe(5)
    expect((await alice.services.account.getState()).connection.protocolVersion).toBe(5)

    const sent = await alice.send('bob', 'Hi Bob ✓ 李雷')
    expect(sent).toMatchObject({ conversationId: 'dm:bob', sender: 'alice', direction: 'out', text: 'Hi Bob ✓ 李雷' })

    // alice: pending, sent once the broker acknowledged it, delivered once bob stored it.
    await waitFor(() => alice.statusesOf(sent.id).includes('delivered'), "alice's delivered event")
    expect(alice.statusesOf(sent.id)).toEqual(['pending', 'sent', 'delivered'])
    expect((await alice.history('bob')).map((m) => m.status)).toEqual(['delivered'])

    // bob: one message event, then a conversation event with one unread.
    const got = await waitFor(() => bob.messages().find((m) => m.id === sent.id), 'bob to receive')
    expect(got).toMatchObject({ conversationId: 'dm:alice', sender: 'alice', direction: 'in', status: 'received', text: 'Hi Bob ✓ 李雷', ts: sent.ts })
    const conv = await waitFor(() => bob.conversations().find((c) => c.id === 'dm:alice'), "bob's conversation event")
    expect(conv).toMatchObject({ peer: 'alice', unread: 1, lastMessage: { id: sent.id, text: 'Hi Bob ✓ 李雷' } })

    // And back.
    const reply = await bob.send('alice', 'Hi Alice')
    const back = await waitFor(() => alice.messages().find((m) => m.id === reply.id && m.direction === 'in'), 'alice to receive the reply')
    expect(back).toMatchObject({ sender: 'bob', text: 'Hi Alice', conversationId: 'dm:bob' })
    expect((await alice.history('bob')).map((m) => [m.sender, m.text])).toEqual([
      ['alice', 'Hi Bob ✓ 李雷'],
      ['bob', 'Hi Alice'],
    ])
    await bob.services.conversations.markRead('dm:alice')
    expect((await bob.services.conversations.list()).find((c) => c.id === 'dm:alice')?.unread).toBe(0)
  })

  it('delivers messages sent while the receiver is offline, in order, exactly once', async () => {
    const bob1 = await env.lab.open('bob2', urlBroker(env.broker.url))
    await bob1.connected() // the broker now knows bob2's session
    await env.lab.close(bob1)

    const alice = await env.lab.open('alice2', urlBroker(env.broker.url))
    await alice.connected()
    const sent = []
    for (const text of ['one', 'two', 'three']) sent.push(await alice.send('bob2', text))
    await waitFor(async () => (await alice.history('bob2')).every((m) => m.status === 'sent'), 'all three to be sent')

    const bob = await env.lab.open('bob2', undefined, bob1.dataDir) // same data dir: same settings and client id
    await waitFor(() => bob.messages().length >= 3, 'the queued messages')
    await sleep(300) // any duplicate would arrive now
    expect(bob.messages().map((m) => m.text)).toEqual(['one', 'two', 'three'])
    expect((await bob.history('alice2')).map((m) => [m.id, m.text])).toEqual(sent.map((m) => [m.id, m.text]))
    expect((await bob.services.conversations.list())[0]).toMatchObject({ id: 'dm:alice2', unread: 3 })
  })

  it('an unsent message survives a restart and goes out when the broker is reachable', async () => {
    const bob = await env.lab.open('bob3', urlBroker(env.broker.url))
    await bob.connected()
    const closedPort = await freePort()
    let alice = await env.lab.open('alice3', urlBroker(`mqtt://127.0.0.1:${closedPort}`))
    await waitFor(() => alice.status.state === 'reconnecting', 'alice to fail to connect')
    const msg = await alice.send('bob3', 'written offline')
    expect(msg.status).toBe('pending')
    await sleep(200)
    expect((await alice.history('bob3')).map((m) => m.status)).toEqual(['pending'])
    await env.lab.close(alice)

    alice = await env.lab.open('alice3', undefined, alice.dataDir)
    expect((await alice.history('bob3')).map((m) => [m.id, m.status])).toEqual([[msg.id, 'pending']])
    // Same user, another broker URL: allowed, and the outbox goes out on connect.
    await alice.services.account.setup({ user: 'alice3', broker: urlBroker(env.broker.url) })
    await waitFor(() => alice.messages().find((m) => m.id === msg.id && m.status === 'sent'), 'the pending message to be sent')
    const got = await waitFor(() => bob.messages().find((m) => m.id === msg.id), 'bob to receive it')
    expect(got.text).toBe('written offline')
    await waitFor(() => alice.statusesOf(msg.id).includes('delivered'), "bob3's delivery receipt")
    expect(alice.statusesOf(msg.id)).toEqual(['sent', 'delivered'])
    expect((await alice.history('bob3')).map((m) => m.status)).toEqual(['delivered'])
  })

  it('stores a duplicate delivery once', async () => {
    const bob = await env.lab.open('bob4', urlBroker(env.broker.url))
    await bob.connected()
    const raw = await env.lab.client(env.broker.url)
    const payload = encodeEnvelope(textEnvelope('alice', 'raw', 'only once', 1))
    await publish(raw, 'IMS/bob4/Inbox/Msg/alice', payload)
    await publish(raw, 'IMS/bob4/Inbox/Msg/alice', payload)
    await publish(raw, 'IMS/bob4/Inbox/Msg/alice', 'sentinel') // same publisher, same topic: arrives after both
    await waitFor(() => bob.messages().some((m) => m.text === 'sentinel'), 'the sentinel')
    await sleep(100)
    expect(bob.messages().map((m) => m.text)).toEqual(['only once', 'sentinel'])
    expect((await bob.history('alice')).map((m) => m.text)).toEqual(['only once', 'sentinel'])
  })

  it('drops malformed payloads and keeps the session', async () => {
    const bob = await env.lab.open('bob5', urlBroker(env.broker.url))
    await bob.connected()
    const statusesBefore = bob.statuses().length
    const raw = await env.lab.client(env.broker.url)
    const topic = 'IMS/bob5/Inbox/Msg/alice'
    const good = textEnvelope('alice', 'raw', 'fine', 1)
    await publish(raw, topic, '{"v":1,') // a JSON object that does not parse
    await publish(raw, topic, '{"v":1,}')
    await publish(raw, topic, JSON.stringify({ ...good, v: 2 }))
    await publish(raw, topic, Buffer.from([0x68, 0x69, 0xff, 0xfe, 0xfd]))
    await publish(raw, topic, Buffer.alloc(100 * 1024, 'x'))
    await publish(raw, topic, JSON.stringify({ ...good, from: 'mallory' }))
    await publish(raw, topic, JSON.stringify({ ...good, body: {} }))
    await publish(raw, topic, 'a valid plain-text message')
    await waitFor(() => bob.messages().length > 0, 'the valid message')
    await sleep(100)
    expect(bob.messages().map((m) => m.text)).toEqual(['a valid plain-text message'])
    expect((await bob.history('alice')).map((m) => m.text)).toEqual(['a valid plain-text message'])
    expect(bob.status.state).toBe('connected')
    expect(bob.statuses().length).toBe(statusesBefore) // never dropped the connection
    expect(bob.log.lines.filter((l) => l.includes('dropped an incoming message'))).toHaveLength(7)
    // Acknowledged, not redelivered: the session carries on and gets the next message.
    await publish(raw, topic, 'still here')
    await waitFor(() => bob.messages().some((m) => m.text === 'still here'), 'a message after the bad ones')
  })

  it('a retained inbox message is stored neither live nor on a reconnect', async () => {
    const first = await env.lab.open('bob7', urlBroker(env.broker.url))
    await first.connected()
    const raw = await env.lab.client(env.broker.url)
    // Live, while bob is subscribed: Retain As Published keeps the flag, so bob sees it is retained.
    await publish(raw, 'IMS/bob7/Inbox/Msg/carol', 'sticky', { retain: true })
    await publish(raw, 'IMS/bob7/Inbox/Msg/carol', 'sentinel')
    await waitFor(() => first.messages().some((m) => m.text === 'sentinel'), 'the sentinel')
    await env.lab.close(first)
    expect(first.log.lines.filter((l) => l.includes('dropped a retained message'))).toHaveLength(1)
    // On a new connection the broker hands the retained message over again, flagged retained.
    const bob = await env.lab.open('bob7', undefined, first.dataDir)
    await bob.connected()
    await publish(raw, 'IMS/bob7/Inbox/Msg/carol', 'second sentinel')
    await waitFor(() => bob.messages().some((m) => m.text === 'second sentinel'), 'the second sentinel')
    // Clear the retained message so it cannot affect anything else.
    await publish(raw, 'IMS/bob7/Inbox/Msg/carol', '', { retain: true })
    expect((await bob.history('carol')).map((m) => m.text)).toEqual(['sentinel', 'second sentinel'])
    expect(bob.log.lines.filter((l) => l.includes('dropped a retained message'))).toHaveLength(1)
  })

  it('will not switch a history to another user', async () => {
    const bob = await env.lab.open('bob8', urlBroker(env.broker.url))
    await bob.connected()
    await bob.send('alice', 'mine')
    await expect(bob.services.account.setup({ user: 'mallory', broker: urlBroker(env.broker.url) })).rejects.toMatchObject({
      code: 'invalid-argument',
      message: expect.stringMatching(/This history belongs to bob8/),
    })
    expect((await bob.services.account.getState()).user).toBe('bob8')
  })

  it('interoperates with plain MQTT clients both ways', async () => {
    if (!existsSync(MOSQUITTO_PUB)) throw new Error('mosquitto_pub is not installed (apt-get install -y mosquitto-clients)')
    const bob = await env.lab.open('bob6', urlBroker(env.broker.url))
    await bob.connected()

    const code = await new Promise<number | null>((resolve, reject) => {
      const p = spawn(MOSQUITTO_PUB, ['-h', '127.0.0.1', '-p', String(env.broker.port), '-q', '1', '-t', 'IMS/bob6/Inbox/Msg/carol', '-m', 'hi from the shell'], {
        stdio: 'ignore',
      })
      const t = setTimeout(() => p.kill('SIGKILL'), 5_000)
      p.on('error', reject)
      p.on('exit', (c) => {
        clearTimeout(t)
        resolve(c)
      })
    })
    expect(code).toBe(0)
    const got = await waitFor(() => bob.messages().find((m) => m.sender === 'carol'), 'the shell message')
    expect(got).toMatchObject({ conversationId: 'dm:carol', text: 'hi from the shell', direction: 'in' })
    expect((await bob.services.conversations.list()).map((c) => c.peer)).toContain('carol')

    const sub = await env.lab.client(env.broker.url)
    const received: { topic: string; payload: Buffer }[] = []
    sub.on('message', (topic, payload) => received.push({ topic, payload }))
    await new Promise<void>((resolve, reject) => sub.subscribe('IMS/dave/Inbox/Msg/+', { qos: 1 }, (err) => (err ? reject(err) : resolve())))
    const sent = await bob.send('dave', 'hello dave')
    await waitFor(() => received.length === 1, 'the raw subscriber to receive')
    expect(received[0]!.topic).toBe('IMS/dave/Inbox/Msg/bob6')
    const json = JSON.parse(received[0]!.payload.toString('utf8'))
    expect(json).toMatchObject({ v: 1, id: sent.id, type: 'text', from: 'bob6', ts: sent.ts, body: { text: 'hello dave' } })
    expect(EnvelopeSchema.safeParse(json).success).toBe(true)
  })
})
