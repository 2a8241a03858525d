/**
 * What Parley refuses or drops at its edges, against a real Mosquitto (MQTT 5) whose
 * ACL forbids publishing to carol's inbox: bad names, broker refusals, forged or
 * stale inbox messages, oversize packets; and what it never shows (the client id)
 * or leaves readable (the data directory).
 */
import { readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { encodeEnvelope, envelope, textEnvelope } from '../../src/main/core/protocol/codec'
import { dispatchCall } from '../../src/shared/rpc'
import { freePort } from '../helpers/mosquitto'
import { FAST, publish, record, sleep, urlBroker, useMosquittoLab, waitFor } from '../helpers/core'

const NAME_ERROR = 'A name cannot contain control or invisible characters (such as direction marks or zero-width spaces).'

describe('boundaries', () => {
  const env = useMosquittoLab({ tuning: FAST, acl: ['topic readwrite #', 'topic deny IMS/carol/Inbox/Msg/#'] })

  async function pair(a: string, b: string) {
    const alice = await env.lab.open(a, urlBroker(env.broker.url))
    const bob = await env.lab.open(b, urlBroker(env.broker.url))
    await alice.connected()
    await bob.connected()
    return { alice, bob }
  }

  it('a recipient with a C1 control character is refused with a reason; the next message to bob goes through', async () => {
    const { alice, bob } = await pair('alice', 'bob')
    const bad = 'x\u0085y'
    await expect(alice.services.conversations.open(bad)).rejects.toThrow(NAME_ERROR)
    // As a window or the web host calls it: refused as invalid input, in words.
    const call = await dispatchCall(alice.services, { service: 'messages', method: 'send', args: [{ conversationId: `dm:${bad}`, text: 'hi' }] })
    expect(call).toEqual({ ok: false, error: { code: 'invalid-argument', message: NAME_ERROR } })
    await expect(alice.services.presence.get(bad)).rejects.toThrow(NAME_ERROR)
    expect(await alice.services.conversations.list()).toEqual([])
    expect(alice.query('SELECT count(*) AS n FROM outbox')).toEqual([{ n: 0 }])

    const next = await alice.send('bob', 'the next one')
    await waitFor(async () => (await alice.storedStatus('bob', next.id)) === 'delivered', 'the next message to be delivered')
    expect((await bob.history('alice')).map((m) => m.text)).toEqual(['the next one'])
  })

  it("the broker's ACL refuses carol's inbox: that message fails with a reason, the next one to bob is delivered", async () => {
    const { alice, bob } = await pair('alice2', 'bob2')
    const statuses = alice.statuses().length
    const denied = await alice.send('carol', 'you may not')
    const failed = await waitFor(() => alice.messages().find((m) => m.id === denied.id && m.status === 'failed'), 'the refusal')
    expect(failed.error).toBe('The broker does not allow you to send this (not authorized).')
    expect((await alice.history('carol')).map((m) => [m.status, m.error])).toEqual([['failed', failed.error]])

    const next = await alice.send('bob2', 'but this is fine')
    await waitFor(async () => (await alice.storedStatus('bob2', next.id)) === 'delivered', 'the next message to be delivered')
    expect((await bob.history('alice2')).map((m) => m.text)).toEqual(['but this is fine'])
    // Refused, not retried: it stays failed, and the connection never dropped.
    await sleep(700)
    expect(await alice.storedStatus('carol', denied.id)).toBe('failed')
    expect(alice.statuses().length).toBe(statuses)
  })

  it('drops forged and stale inbox messages: from bob to himself, a reused id, a retained one', async () => {
    const bob = await env.lab.open('bob3', urlBroker(env.broker.url))
    await bob.connected()
    const raw = await env.lab.client(env.broker.url)
    const receipts = await record(raw, 'IMS/+/Inbox/Rcpt/bob3')
    const inbox = (from: string) => `IMS/bob3/Inbox/Msg/${from}`

    await publish(raw, inbox('bob3'), encodeEnvelope(textEnvelope('bob3', 'raw', 'posing as bob3', 1)))
    await publish(raw, inbox('bob3'), 'plain text posing as bob3')
    const original = textEnvelope('alice3', 'raw', 'the original', 1)
    await publish(raw, inbox('alice3'), encodeEnvelope(original))
    await publish(raw, inbox('mallory'), encodeEnvelope({ ...original, from: 'mallory', body: { text: 'same id, other sender' } }))
    await publish(raw, inbox('mallory'), 'a stale retained message', { retain: true })
    await publish(raw, inbox('zed'), encodeEnvelope(textEnvelope('zed', 'raw', 'sentinel', 1)))
    await waitFor(() => bob.messages().some((m) => m.text === 'sentinel'), 'the sentinel')
    await sleep(200)

    expect(bob.messages().map((m) => m.text)).toEqual(['the original', 'sentinel'])
    expect((await bob.services.conversations.list()).map((c) => c.id).sort()).toEqual(['dm:alice3', 'dm:zed'])
    expect(bob.conversations().some((c) => c.peer === 'mallory' || c.peer === 'bob3')).toBe(false)
    expect(bob.query('SELECT id, sender, text FROM messages ORDER BY sender')).toEqual([
      { id: original.id, sender: 'alice3', text: 'the original' },
      { id: expect.any(String), sender: 'zed', text: 'sentinel' },
    ])
    expect(bob.query(`SELECT count(*) AS n FROM conversations WHERE id IN ('dm:mallory', 'dm:bob3')`)).toEqual([{ n: 0 }])
    // Receipts go to the real senders only: mallory is not told the reused id arrived.
    await waitFor(() => receipts.length >= 2, 'the delivery receipts')
    expect(receipts.map((r) => r.topic).sort()).toEqual(['IMS/alice3/Inbox/Rcpt/bob3', 'IMS/zed/Inbox/Rcpt/bob3'])
    const reasons = bob.log.lines.filter((l) => l.includes('dropped'))
    expect(reasons.filter((l) => l.includes('a message from myself on my own inbox'))).toHaveLength(2)
    expect(reasons.filter((l) => l.includes('dropped a retained message'))).toHaveLength(1)
    await publish(raw, inbox('mallory'), '', { retain: true }) // clears it (bob drops that too: it is retained)
  })

  it('a 1 MB payload never reaches Parley (Maximum Packet Size), and bob keeps receiving', async () => {
    const bob = await env.lab.open('bob4', urlBroker(env.broker.url))
    await bob.connected()
    const statuses = bob.statuses().length
    const raw = await env.lab.client(env.broker.url)
    const big = encodeEnvelope(envelope('text', 'alice4', { text: 'x' }, { dev: 'raw' }))
    await publish(raw, 'IMS/bob4/Inbox/Msg/alice4', Buffer.concat([big, Buffer.alloc(1024 * 1024, ' ')]))
    await publish(raw, 'IMS/bob4/Inbox/Msg/alice4', 'after the big one')
    await waitFor(() => bob.messages().some((m) => m.text === 'after the big one'), 'the next message')
    expect(bob.messages().map((m) => m.text)).toEqual(['after the big one'])
    // Mosquitto dropped it for us: Parley never read it (it would have logged the size).
    expect(bob.log.lines.filter((l) => l.includes('dropped an incoming message'))).toEqual([])
    expect(bob.statuses().length).toBe(statuses)
  })

  it("the MQTT client id (settings.json's clientSecret) appears in nothing Parley publishes", async () => {
    const spy = await env.lab.client(env.broker.url)
    const everything = await record(spy, '#')
    // alice connects through a relay, so she can vanish without a goodbye (her Last Will).
    const port = await freePort()
    const relay = await env.lab.relay(port, env.broker.port)
    const alice = await env.lab.open('alice5', urlBroker(`mqtt://127.0.0.1:${port}`))
    const bob = await env.lab.open('bob5', urlBroker(env.broker.url))
    await alice.connected()
    await bob.connected()
    await alice.services.presence.get('bob5')
    await alice.services.typing.typing('dm:bob5')
    const m = await alice.send('bob5', 'hello')
    const r = await bob.send('alice5', 'hello back')
    await bob.services.presence.setMode('away')
    await waitFor(async () => (await bob.history('alice5')).length === 2 && (await alice.history('bob5')).length === 2, 'both messages on both sides')
    await bob.services.conversations.markRead('dm:alice5')
    await alice.services.conversations.markRead('dm:bob5')
    await waitFor(async () => (await alice.storedStatus('bob5', m.id)) === 'read', 'the read receipt')
    await waitFor(async () => (await bob.storedStatus('alice5', r.id)) === 'read', 'the read receipt back')
    await relay.close() // alice is cut off: after the will delay the broker publishes her will
    await waitFor(
      () => everything.some((e) => e.topic.startsWith('IMS/alice5/Presence/') && JSON.parse(e.payload.toString()).body.state === 'offline'),
      "alice's Last Will",
    )
    await env.lab.close(bob) // bob's goodbye

    const secrets = [alice, bob].map((n) => JSON.parse(readFileSync(join(n.dataDir, 'settings.json'), 'utf8')).clientSecret as string)
    expect(secrets.every((s) => /^[0-9a-f]{32}$/.test(s))).toBe(true)
    // Every kind of publish was seen: messages, receipts, typing, presence (goodbye and will included).
    const kinds = new Set(everything.map((e) => e.topic.split('/').slice(2, e.topic.includes('/Inbox/') ? 4 : 3).join('/')))
    expect([...kinds].sort()).toEqual(['Inbox/Msg', 'Inbox/Rcpt', 'Inbox/Typing', 'Presence'])
    for (const e of everything) {
      for (const secret of secrets) {
        expect(e.topic).not.toContain(secret)
        expect(e.payload.toString('latin1')).not.toContain(secret)
      }
    }
  })

  it('a new data directory is private (0700) and its history.db and settings.json are 0600', async () => {
    // Whatever the umask: with 000, anything not made private on purpose would be world-writable.
    const umask = process.umask(0o000)
    let node
    try {
      node = await env.lab.open('frank6', urlBroker(env.broker.url))
      await node.connected()
      await node.send('bob6', 'something private')
    } finally {
      process.umask(umask)
    }
    const mode = (p: string) => statSync(p).mode & 0o777
    expect(mode(node.dataDir)).toBe(0o700)
    expect(mode(join(node.dataDir, 'history.db'))).toBe(0o600)
    expect(mode(join(node.dataDir, 'settings.json'))).toBe(0o600)
    for (const extra of ['history.db-wal', 'history.db-shm']) {
      expect(mode(join(node.dataDir, extra))).toBe(0o600)
    }
  })
})
