/**
 * Delivery and read receipts over a real Mosquitto: sent → delivered → read, read
 * receipts turned off, and a recipient who has never connected (no broker session
 * yet) getting the message once when they first do.
 */
import { describe, expect, it } from 'vitest'
import { encodeEnvelope, textEnvelope } from '../../src/main/core/protocol/codec'
import { FAST, publish, record, sleep, urlBroker, useMosquittoLab, waitFor } from '../helpers/core'

describe('receipts', () => {
  const env = useMosquittoLab({ tuning: FAST })

  it('sent, then delivered once bob stored it, then read once bob read it', async () => {
    const alice = await env.lab.open('alice', urlBroker(env.broker.url))
    const bob = await env.lab.open('bob', urlBroker(env.broker.url))
    await alice.connected()
    await bob.connected()

    const m = await alice.send('bob', 'did you get this?')
    await waitFor(() => alice.statusesOf(m.id).includes('delivered'), 'the delivery receipt')
    expect(alice.statusesOf(m.id)).toEqual(['pending', 'sent', 'delivered'])
    expect(await alice.storedStatus('bob', m.id)).toBe('delivered')
    expect(await bob.storedStatus('alice', m.id)).toBe('received')

    // alice is a stranger to bob: her conversation is a message request, which sends no read receipt until accepted.
    await bob.services.messageRequests.accept('dm:alice')
    await bob.services.conversations.markRead('dm:alice')
    await waitFor(() => alice.statusesOf(m.id).includes('read'), 'the read receipt')
    expect(alice.statusesOf(m.id)).toEqual(['pending', 'sent', 'delivered', 'read'])
    expect(await alice.storedStatus('bob', m.id)).toBe('read')
    expect(await bob.storedStatus('alice', m.id)).toBe('seen')
    // The conversation list shows the latest status too.
    const conv = (await alice.services.conversations.list()).find((c) => c.id === 'dm:bob')
    expect(conv?.lastMessage).toMatchObject({ id: m.id, status: 'read' })

    // Reading again sends nothing new, and nothing goes backwards.
    await bob.services.conversations.markRead('dm:alice')
    await sleep(300)
    expect(alice.statusesOf(m.id)).toEqual(['pending', 'sent', 'delivered', 'read'])
  })

  it('with read receipts off, bob still confirms delivery but never says he read it', async () => {
    const alice = await env.lab.open('alice2', urlBroker(env.broker.url))
    const bob = await env.lab.open('bob2', urlBroker(env.broker.url))
    await alice.connected()
    await bob.connected()
    expect(await bob.services.receipts.setSendReadReceipts(false)).toEqual({ sendReadReceipts: false })
    const raw = await env.lab.client(env.broker.url)
    const wire = await record(raw, 'IMS/alice2/Inbox/Rcpt/+')

    const m = await alice.send('bob2', 'read this quietly')
    await waitFor(async () => (await alice.storedStatus('bob2', m.id)) === 'delivered', 'the delivery receipt')
    await bob.services.messageRequests.accept('dm:alice2')
    await bob.services.conversations.markRead('dm:alice2')
    expect(await bob.storedStatus('alice2', m.id)).toBe('seen') // seen here all the same
    await sleep(800)
    expect(await alice.storedStatus('bob2', m.id)).toBe('delivered')
    // (Delivery may be confirmed twice: following bob2's presence can offer the message again at once.)
    const kinds = wire.map((w) => JSON.parse(w.payload.toString()).body.kind)
    expect(kinds.length).toBeGreaterThan(0)
    expect(kinds.every((k) => k === 'delivered')).toBe(true)
    // The choice is kept across a restart.
    await env.lab.close(bob)
    const again = await env.lab.open('bob2', undefined, bob.dataDir)
    expect(await again.services.receipts.settings()).toEqual({ sendReadReceipts: false })
  })

  it('a message to dave, who never connected, stays sent; his first connection gets it once and alice sees delivered', async () => {
    const alice = await env.lab.open('alice3', urlBroker(env.broker.url))
    await alice.connected()
    const raw = await env.lab.client(env.broker.url)
    const offers = await record(raw, 'IMS/dave3/Inbox/Msg/alice3')

    const m = await alice.send('dave3', 'waiting for you')
    // The broker acknowledges and drops it (nobody subscribes); alice offers it again and again.
    await waitFor(() => offers.length >= 3, 'alice to offer it again', 5_000)
    expect(await alice.storedStatus('dave3', m.id)).toBe('sent')
    expect(new Set(offers.map((o) => JSON.parse(o.payload.toString()).id))).toEqual(new Set([m.id]))

    const dave = await env.lab.open('dave3', urlBroker(env.broker.url))
    await waitFor(() => dave.messages().some((x) => x.id === m.id), 'dave to get it')
    await waitFor(async () => (await alice.storedStatus('dave3', m.id)) === 'delivered', 'alice to see it delivered')
    // Confirmed: no more offers, and dave stored it once whatever arrived twice.
    const count = offers.length
    await sleep(1_500)
    expect(offers.length).toBe(count)
    expect(dave.messages().filter((x) => x.id === m.id)).toHaveLength(1)
    expect((await dave.history('alice3')).map((x) => [x.id, x.text])).toEqual([[m.id, 'waiting for you']])
    expect(alice.query(`SELECT count(*) AS n FROM outbox WHERE owner = 'messages'`)).toEqual([{ n: 0 }])
  })

  it('without a re-offer timer, coming online is what brings the message (presence)', async () => {
    // A re-offer interval longer than the test: only dave's presence can trigger the offer.
    const alice = await env.lab.open('alice4', urlBroker(env.broker.url), { tuning: { reofferBaseMs: 600_000 } })
    await alice.connected()
    const m = await alice.send('dave4', 'when you come online')
    await waitFor(async () => (await alice.storedStatus('dave4', m.id)) === 'sent', 'the broker to take it')
    await sleep(500)
    const dave = await env.lab.open('dave4', urlBroker(env.broker.url))
    const got = await waitFor(() => dave.messages().find((x) => x.id === m.id), 'dave to get it on his first connection', 5_000)
    expect(got.text).toBe('when you come online')
    await waitFor(async () => (await alice.storedStatus('dave4', m.id)) === 'delivered', 'alice to see it delivered')
    expect(dave.messages().filter((x) => x.id === m.id)).toHaveLength(1)
  })

  it('a message bob deleted stays deleted when it is delivered again, and is still acknowledged', async () => {
    const bob = await env.lab.open('bob7', urlBroker(env.broker.url))
    await bob.connected()
    const raw = await env.lab.client(env.broker.url)
    const receipts = await record(raw, 'IMS/mallory7/Inbox/Rcpt/bob7')
    const e = textEnvelope('mallory7', 'dev', 'Delete me', 1)
    await publish(raw, 'IMS/bob7/Inbox/Msg/mallory7', encodeEnvelope(e))
    await waitFor(async () => (await bob.history('mallory7')).some((m) => m.id === e.id), 'bob to store it')
    await waitFor(() => receipts.length >= 1, 'the first delivery receipt')
    await bob.services.messages.remove(e.id)
    expect(await bob.history('mallory7')).toEqual([])

    // Offered again (the sender did not hear of the delivery): not stored, but acknowledged.
    await publish(raw, 'IMS/bob7/Inbox/Msg/mallory7', encodeEnvelope(e))
    await waitFor(() => receipts.filter((r) => JSON.parse(r.payload.toString()).body.ids.includes(e.id)).length >= 2, 'a second delivery receipt')
    expect(await bob.history('mallory7')).toEqual([])
    expect(bob.messages().filter((m) => m.id === e.id)).toHaveLength(1)
  })
})
