/**
 * Blocking over a real Mosquitto: what a blocked person sends (messages, typing,
 * presence) never reaches the screen or the history; an unblock brings their
 * retained presence back and lets new messages in, not those sent during the
 * block; the Unsub notice makes their Parley stop following my moments.
 */
import { describe, expect, it } from 'vitest'
import { FAST, record, sleep, urlBroker, useMosquittoLab, waitFor, type Node } from '../helpers/core'

const logged = (node: Node, text: string) => node.log.lines.filter((l) => l.includes(text)).length

describe('blocking', () => {
  const env = useMosquittoLab({ tuning: FAST })

  it("alice blocks carol: carol's messages, typing and presence never show; unblocked, her presence comes back and new messages arrive", async () => {
    const alice = await env.lab.open('alice', urlBroker(env.broker.url))
    const carol = await env.lab.open('carol', urlBroker(env.broker.url))
    const dave = await env.lab.open('dave', urlBroker(env.broker.url))
    await Promise.all([alice.connected(), carol.connected(), dave.connected()])
    const before = await carol.send('alice', 'before the block')
    await waitFor(() => alice.messages().some((m) => m.id === before.id), 'the message before the block')
    await alice.presenceBecomes('carol', 'online')

    expect(await alice.services.blocking.block('carol')).toMatchObject({ user: 'carol', notified: false })
    const eventsAtBlock = alice.events.length
    const during = await carol.send('alice', 'during the block')
    await carol.services.typing.typing('dm:alice')
    await carol.services.presence.setMode('away')
    // Each of the three reached alice's Parley and was dropped there, by the codec.
    await waitFor(() => logged(alice, '"reason":"the sender is blocked"') >= 3, 'three refusals')
    expect(logged(alice, 'dropped an incoming message')).toBeGreaterThanOrEqual(1)
    expect(logged(alice, 'dropped a presence message')).toBeGreaterThanOrEqual(1)
    // Someone else still gets through (and by then carol's earlier packets were handled).
    const sentinel = await dave.send('alice', 'sentinel')
    await waitFor(() => alice.messages().some((m) => m.id === sentinel.id), "dave's sentinel")

    const since = alice.events.slice(eventsAtBlock)
    expect(since.filter((e) => e.event === 'message').map((e) => (e.payload as { text: string }).text)).toEqual(['sentinel'])
    expect(since.filter((e) => e.event === 'typing')).toEqual([])
    expect(since.filter((e) => e.event === 'presence' && (e.payload as { user: string }).user === 'carol')).toEqual([])
    expect((await alice.services.presence.get('carol')).state).toBe('online')
    expect((await alice.history('carol')).map((m) => m.text)).toEqual(['before the block'])
    expect(alice.query(`SELECT text FROM messages WHERE sender = 'carol'`)).toEqual([{ text: 'before the block' }])
    expect(alice.of('blocked')).toEqual([{ user: 'carol', blocked: true }])

    // The block survives a restart.
    await env.lab.close(alice)
    const again = await env.lab.open('alice', undefined, alice.dataDir)
    await again.connected()
    expect((await again.services.blocking.list()).map((b) => b.user)).toEqual(['carol'])
    // carol's Parley offers 'during the block' again (no delivery receipt came): still dropped.
    await waitFor(() => logged(again, 'the sender is blocked') >= 1, 'a re-offer refused after the restart')

    await again.services.blocking.unblock('carol')
    expect(again.of('blocked')).toEqual([{ user: 'carol', blocked: false }])
    // Her retained presence is asked for again: away, set during the block.
    await again.presenceBecomes('carol', 'away')
    // What she sent during the block stays out when it is offered again.
    await waitFor(() => logged(again, 'sent while the sender was blocked') >= 1, 'the re-offer after the unblock to be refused', 10_000)
    const after = await carol.send('alice', 'after the unblock')
    await waitFor(() => again.messages().some((m) => m.id === after.id), 'the message after the unblock')
    expect((await again.history('carol')).map((m) => m.text)).toEqual(['before the block', 'after the unblock'])
    expect(again.messages().some((m) => m.id === during.id)).toBe(false)
  })

  it("a block with notice: carol's Parley stops following alice's moments and tells carol; a silent block tells erin nothing to show", async () => {
    const alice = await env.lab.open('alice2', urlBroker(env.broker.url))
    const carol = await env.lab.open('carol2', urlBroker(env.broker.url))
    const erin = await env.lab.open('erin2', urlBroker(env.broker.url))
    await Promise.all([alice.connected(), carol.connected(), erin.connected()])
    expect(await carol.services.moments.follow('alice2', true)).toEqual(['alice2'])
    expect(await erin.services.moments.follow('alice2', true)).toEqual(['alice2'])
    await sleep(100) // the SUBACK
    const first = await alice.services.moments.post('before')
    await waitFor(() => carol.of('moment').some((m) => m.id === first.id) && erin.of('moment').some((m) => m.id === first.id), 'both to see the first moment')

    const raw = await env.lab.client(env.broker.url)
    const notices = await record(raw, 'IMS/+/Inbox/Update/alice2/Unsub')
    await alice.services.blocking.block('carol2', { notify: true })
    await alice.services.blocking.block('erin2')
    await waitFor(() => carol.of('unfollowedBy').length === 1 && erin.of('unfollowedBy').length === 1, 'both to be told')
    expect(carol.of('unfollowedBy')).toEqual([{ user: 'alice2', notify: true }])
    expect(erin.of('unfollowedBy')).toEqual([{ user: 'alice2', notify: false }])
    expect(notices.map((n) => n.topic).sort()).toEqual(['IMS/carol2/Inbox/Update/alice2/Unsub', 'IMS/erin2/Inbox/Update/alice2/Unsub'])
    expect(notices.map((n) => JSON.parse(n.payload.toString())).find((e) => e.body.notify)).toMatchObject({ type: 'unsub', from: 'alice2' })
    expect(await carol.services.moments.following()).toEqual([])
    expect(await erin.services.moments.following()).toEqual([])

    // alice's next moment is on the wire but neither follows her any more.
    const posts = await record(raw, 'IMS/alice2')
    const second = await alice.services.moments.post('after')
    await waitFor(() => posts.some((p) => JSON.parse(p.payload.toString()).id === second.id), 'the second moment on the wire')
    await sleep(300)
    expect(carol.of('moment').map((m) => m.text)).toEqual(['before'])
    expect(erin.of('moment').map((m) => m.text)).toEqual(['before'])
    // carol's own feed no longer shows alice's moments.
    expect((await carol.services.moments.feed({})).moments).toEqual([])
  })

  it("carol's friend request while blocked never shows; a block on alice's laptop applies on her linked phone too", async () => {
    const laptop = await env.lab.open('alice4-laptop', urlBroker(env.broker.url), { user: 'alice4' })
    const phone = await env.lab.open('alice4-phone', urlBroker(env.broker.url), { user: 'alice4' })
    const carol = await env.lab.open('carol4', urlBroker(env.broker.url))
    const dave = await env.lab.open('dave4', urlBroker(env.broker.url))
    await Promise.all([laptop.connected(), phone.connected(), carol.connected(), dave.connected()])
    await phone.services.devices.link((await laptop.services.devices.offerLink()).code)
    await waitFor(async () => (await laptop.services.devices.list()).some((d) => !d.current && d.sync === 'linked'), 'the laptop to know the phone')

    const raw = await env.lab.client(env.broker.url)
    const notices = await record(raw, 'IMS/carol4/Inbox/Update/+/Unsub')
    await laptop.services.blocking.block('carol4')
    await waitFor(async () => (await phone.services.blocking.list()).some((b) => b.user === 'carol4'), 'the block to reach the phone')
    expect(phone.of('blocked')).toEqual([{ user: 'carol4', blocked: true }])

    await carol.services.contacts.request({ user: 'alice4', note: 'hi, it is carol' })
    await carol.send('alice4', 'a message too')
    await dave.services.contacts.request({ user: 'alice4' })
    for (const device of [laptop, phone]) {
      await waitFor(async () => (await device.services.contacts.list()).some((c) => c.user === 'dave4'), `${device.name} to get dave's request`)
      await waitFor(() => logged(device, 'the sender is blocked') >= 2, `${device.name} to refuse carol's request and message`)
      expect((await device.services.contacts.list()).map((c) => c.user)).toEqual(['dave4'])
      expect(await device.history('carol4')).toEqual([])
    }
    // Only the laptop told carol (once), not the phone as well.
    expect(notices.map((n) => JSON.parse(n.payload.toString()).dev)).toEqual([(await laptop.services.account.getState()).deviceId])

    await phone.services.blocking.unblock('carol4')
    await waitFor(async () => (await laptop.services.blocking.list()).length === 0, 'the unblock to reach the laptop')
  })

  it('blocking takes away their pending friend request, unanswered; their earlier message request stays for me to delete', async () => {
    const alice = await env.lab.open('alice', urlBroker(env.broker.url))
    const mallory = await env.lab.open('mallory', urlBroker(env.broker.url))
    await Promise.all([alice.connected(), mallory.connected()])
    await mallory.services.contacts.request({ user: 'alice', note: 'let me in' })
    await mallory.send('alice', 'hello?')
    await waitFor(async () => (await alice.services.contacts.list()).some((c) => c.user === 'mallory' && c.state === 'incoming'), 'the friend request')
    await waitFor(async () => (await alice.services.messageRequests.list()).some((c) => c.id === 'dm:mallory'), 'the message request')

    await alice.services.blocking.block('mallory')
    await waitFor(async () => !(await alice.services.contacts.list()).some((c) => c.user === 'mallory'), 'the request gone from the list')
    await waitFor(() => alice.events.some((e) => e.event === 'contacts' && (e.payload as { removed: string[] }).removed.includes('mallory')), 'the UI told')
    // What she wrote before the block is history: kept, in Requests, until alice deletes it.
    expect((await alice.services.messageRequests.list()).map((c) => c.id)).toEqual(['dm:mallory'])
    // Silently: mallory's request is still pending on her side, not declined.
    await sleep(300)
    expect((await mallory.services.contacts.list()).find((c) => c.user === 'alice')?.state).toBe('outgoing')
  })

  it('signing out with the history deleted lifts the blocks for the next account at once', async () => {
    const alice = await env.lab.open('alice', urlBroker(env.broker.url))
    const carol = await env.lab.open('carol', urlBroker(env.broker.url))
    await Promise.all([alice.connected(), carol.connected()])
    await alice.services.blocking.block('carol')
    await alice.services.account.signOut({ deleteHistory: true })
    await alice.services.account.setup({ user: 'dave', broker: urlBroker(env.broker.url) })
    await alice.connected()
    expect(await alice.services.blocking.list()).toEqual([])
    await alice.services.messageRequests.setAcceptFromAnyone(true)
    const m = await carol.send('dave', 'hi dave')
    await waitFor(() => alice.messages().some((x) => x.id === m.id), "carol's message to the new account")
  })

  it('names are checked and blocking myself is refused, with reasons a person can act on', async () => {
    const alice = await env.lab.open('alice3', urlBroker(env.broker.url))
    await expect(alice.services.blocking.block('alice3')).rejects.toThrow('You cannot block yourself.')
    await expect(alice.services.blocking.block('ca rol')).rejects.toThrow('A name cannot contain spaces.')
    await expect(alice.services.blocking.block('\u202Eevil')).rejects.toThrow(/invisible characters/)
    expect(await alice.services.blocking.list()).toEqual([])
  })
})
