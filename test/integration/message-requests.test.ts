/**
 * Message requests over a real Mosquitto: a stranger's first message is held in
 * 'requests' (delivered, never read, until accepted), contacts and people I asked
 * go straight to the inbox, replying or becoming contacts accepts, and deleting a
 * request deletes it for good.
 */
import { describe, expect, it } from 'vitest'
import { encodeEnvelope, textEnvelope } from '../../src/main/core/protocol/codec'
import { FAST, publish, record, sleep, urlBroker, useMosquittoLab, waitFor, type Node } from '../helpers/core'

const folderOf = async (node: Node, id: string) => (await node.services.conversations.list()).find((c) => c.id === id)?.folder

describe('message requests', () => {
  const env = useMosquittoLab({ tuning: FAST })
  const open = env.online

  it("a stranger's first message waits in requests: delivered but not read until accepted", async () => {
    const [alice, bob] = [await open('alice'), await open('bob')]
    const m = await alice.send('bob', 'hi, you do not know me')
    await waitFor(() => bob.conversations().find((c) => c.id === 'dm:alice'), "bob's conversation event")
    expect(bob.conversations().find((c) => c.id === 'dm:alice')).toMatchObject({ folder: 'requests', unread: 1 })
    expect((await bob.services.messageRequests.list()).map((c) => [c.id, c.lastMessage?.text])).toEqual([['dm:alice', 'hi, you do not know me']])
    await waitFor(async () => (await alice.storedStatus('bob', m.id)) === 'delivered', 'the delivery receipt')

    // Reading a request tells the stranger nothing.
    await bob.services.conversations.markRead('dm:alice')
    await sleep(500)
    expect(await alice.storedStatus('bob', m.id)).toBe('delivered')
    expect(await bob.storedStatus('alice', m.id)).toBe('received')

    const accepted = await bob.services.messageRequests.accept('dm:alice')
    expect(accepted).toMatchObject({ id: 'dm:alice', folder: 'inbox' })
    expect(await bob.services.messageRequests.list()).toEqual([])
    await waitFor(() => bob.conversations().some((c) => c.id === 'dm:alice' && c.folder === 'inbox'), 'the conversation event for the move')
    await bob.services.conversations.markRead('dm:alice')
    await waitFor(async () => (await alice.storedStatus('bob', m.id)) === 'read', 'the read receipt once accepted')
    // The other way round it was never a request: alice started it.
    expect(await folderOf(alice, 'dm:bob')).toBe('inbox')
  })

  it('contacts, people I asked, and anyone once allowed go straight to the inbox', async () => {
    const [carol, dave] = [await open('carol'), await open('dave')]
    await carol.services.contacts.request({ user: 'dave' })
    await waitFor(async () => (await dave.services.contacts.list()).length === 1, 'the friend request')
    await dave.services.contacts.accept('carol')
    await waitFor(async () => (await carol.services.contacts.list())[0]?.state === 'contact', 'the accept')
    await dave.send('carol', 'hello friend')
    await waitFor(() => folderOf(carol, 'dm:dave'), "carol's conversation with dave")
    expect(await folderOf(carol, 'dm:dave')).toBe('inbox')

    // erin asked frank; frank writes before answering.
    const [erin, frank] = [await open('erin'), await open('frank')]
    await erin.services.contacts.request({ user: 'frank' })
    await frank.send('erin', 'got your request')
    await waitFor(() => folderOf(erin, 'dm:frank'), "erin's conversation with frank")
    expect(await folderOf(erin, 'dm:frank')).toBe('inbox')

    const [gina, hank] = [await open('gina'), await open('hank')]
    expect(await gina.services.messageRequests.settings()).toEqual({ acceptFromAnyone: false })
    expect(await gina.services.messageRequests.setAcceptFromAnyone(true)).toEqual({ acceptFromAnyone: true })
    await hank.send('gina', 'anyone welcome?')
    await waitFor(() => folderOf(gina, 'dm:hank'), "gina's conversation with hank")
    expect(await folderOf(gina, 'dm:hank')).toBe('inbox')
    await env.lab.close(gina)
    const again = await env.lab.open('gina', undefined, gina.dataDir)
    expect(await again.services.messageRequests.settings()).toEqual({ acceptFromAnyone: true })
  })

  it('replying to a request, or becoming contacts, moves it to the inbox', async () => {
    const [ivan, jill] = [await open('ivan'), await open('jill')]
    await ivan.send('jill', 'hello jill')
    await waitFor(async () => (await folderOf(jill, 'dm:ivan')) === 'requests', 'the request')
    await jill.send('ivan', 'hello ivan')
    expect(await folderOf(jill, 'dm:ivan')).toBe('inbox')

    const [kai, lou] = [await open('kai'), await open('lou')]
    await kai.send('lou', 'hi lou')
    await waitFor(async () => (await folderOf(lou, 'dm:kai')) === 'requests', 'the request')
    await kai.services.contacts.request({ user: 'lou' })
    await waitFor(async () => (await lou.services.contacts.list()).length === 1, 'the friend request')
    expect(await folderOf(lou, 'dm:kai')).toBe('requests')
    await lou.services.contacts.accept('kai')
    await waitFor(async () => (await folderOf(lou, 'dm:kai')) === 'inbox', 'accepting the friend request to accept the conversation')
    await waitFor(() => lou.conversations().some((c) => c.id === 'dm:kai' && c.folder === 'inbox'), 'the conversation event')
  })

  it('deleting a request deletes the conversation and its messages for good; a new message starts a new one', async () => {
    const ned = await open('ned')
    const raw = await env.lab.client(env.broker.url)
    const receipts = await record(raw, 'IMS/mia/Inbox/Rcpt/ned')
    const first = textEnvelope('mia', 'dev', 'buy cheap watches', 1)
    await publish(raw, 'IMS/ned/Inbox/Msg/mia', encodeEnvelope(first))
    await publish(raw, 'IMS/ned/Inbox/Msg/mia', encodeEnvelope(textEnvelope('mia', 'dev', 'really cheap', 2)))
    await waitFor(async () => (await ned.history('mia')).length === 2, 'both messages')
    expect(await folderOf(ned, 'dm:mia')).toBe('requests')

    await ned.services.messageRequests.remove('dm:mia')
    expect(await ned.services.messageRequests.list()).toEqual([])
    expect(await folderOf(ned, 'dm:mia')).toBeUndefined()
    expect(await ned.history('mia')).toEqual([])
    expect(ned.of('conversationRemoved')).toEqual([{ conversationId: 'dm:mia' }])
    expect(ned.query(`SELECT count(*) AS n FROM messages WHERE conversation_id = 'dm:mia'`)).toEqual([{ n: 0 }])

    // Offered again: stays deleted, and is still acknowledged so the sender stops.
    const before = receipts.length
    await publish(raw, 'IMS/ned/Inbox/Msg/mia', encodeEnvelope(first))
    await waitFor(() => receipts.length > before, 'the delivery receipt for the re-offer')
    expect(await folderOf(ned, 'dm:mia')).toBeUndefined()

    await publish(raw, 'IMS/ned/Inbox/Msg/mia', encodeEnvelope(textEnvelope('mia', 'dev', 'one more try', 3)))
    await waitFor(async () => (await folderOf(ned, 'dm:mia')) === 'requests', 'a new request')
    expect((await ned.history('mia')).map((m) => m.text)).toEqual(['one more try'])

    // Only requests are deleted this way.
    await ned.send('oli', 'my own conversation')
    await expect(ned.services.messageRequests.remove('dm:oli')).rejects.toThrow('That conversation is not a message request.')
    await expect(ned.services.messageRequests.accept('dm:nobody')).rejects.toThrow('That conversation is not in this history.')
  })

  it('a reply on my other device accepts the request here too (it arrives mirrored, already sent)', async () => {
    const desk = await env.lab.open('desk', urlBroker(env.broker.url), { user: 'alice' })
    const laptop = await env.lab.open('laptop', urlBroker(env.broker.url), { user: 'alice' })
    await Promise.all([desk.connected(), laptop.connected()])
    await laptop.services.devices.link((await desk.services.devices.offerLink()).link)
    const mallory = await open('mallory')
    await mallory.send('alice', 'hello from a stranger')
    for (const n of [desk, laptop]) await waitFor(async () => (await folderOf(n, 'dm:mallory')) === 'requests', `${n.name}: the request`)
    await desk.send('mallory', 'hi, who is this?')
    await waitFor(async () => (await folderOf(laptop, 'dm:mallory')) === 'inbox', "the laptop: the request accepted by the desk's reply")
  })

  it('reading a request on my other device clears its count here, and once accepted, reading sends the read receipt', async () => {
    const desk = await env.lab.open('desk2', urlBroker(env.broker.url), { user: 'alice2' })
    const laptop = await env.lab.open('laptop2', urlBroker(env.broker.url), { user: 'alice2' })
    await Promise.all([desk.connected(), laptop.connected()])
    await laptop.services.devices.link((await desk.services.devices.offerLink()).link)
    const mallory = await env.online('mallory2')
    const m = await mallory.send('alice2', 'hello again')
    for (const n of [desk, laptop]) await waitFor(async () => (await folderOf(n, 'dm:mallory2')) === 'requests', `${n.name}: the request`)
    await desk.services.conversations.markRead('dm:mallory2')
    await waitFor(async () => (await laptop.services.conversations.list()).find((c) => c.id === 'dm:mallory2')?.unread === 0, 'the count gone on the laptop')
    await sleep(300)
    expect(await mallory.storedStatus('alice2', m.id)).toBe('delivered')
    await laptop.services.messageRequests.accept('dm:mallory2')
    await laptop.services.conversations.markRead('dm:mallory2')
    await waitFor(async () => (await mallory.storedStatus('alice2', m.id)) === 'read', 'the read receipt once accepted')
  })
})
