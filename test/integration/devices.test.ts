/**
 * Linked devices over a real Mosquitto: two data directories of alice (two devices,
 * each its own device id and session) joined by a link or a code, keeping sent
 * messages, replies and read state the same; the device list; removing a device;
 * sync items sealed with another key, or forged, dropped.
 */
import { describe, expect, it } from 'vitest'
import type { Device } from '../../src/shared/contract'
import { envelope, encodeEnvelope } from '../../src/main/core/protocol/codec'
import { FAST, publish, record, sleep, urlBroker, useMosquittoLab, waitFor, type Node } from '../helpers/core'

describe('linked devices', () => {
  const env = useMosquittoLab({ tuning: FAST })

  const openAlice = async (name: string, user = 'alice'): Promise<Node> => {
    const n = await env.lab.open(name, urlBroker(env.broker.url), { user })
    await n.connected()
    return n
  }

  const deviceId = async (n: Node): Promise<string> => (await n.services.account.getState()).deviceId!

  /** Waits until `n` lists exactly the `names` (this device first), all linked. */
  const listsLinked = (n: Node, names: string[]): Promise<Device[]> =>
    waitFor(
      async () => {
        const list = await n.services.devices.list()
        return list.map((d) => d.name).join(',') === names.join(',') && list.every((d) => d.sync === 'linked') ? list : null
      },
      `${n.name} to list ${names.join(', ')} as linked`,
    )

  it('a link joins a second device: my sent messages, the replies and read state show on both, each stored once', async () => {
    const desk = await openAlice('desk')
    const laptop = await openAlice('laptop')
    const bob = await env.lab.open('bob', urlBroker(env.broker.url))
    await bob.connected()
    const [deskId, laptopId] = [await deviceId(desk), await deviceId(laptop)]
    expect(deskId).not.toBe(laptopId)

    await desk.services.devices.rename('Desk')
    const offer = await desk.services.devices.offerLink()
    expect(offer.link).toMatch(/^parley:\/\/link\?v=1&user=alice&key=/)
    expect(offer.code).toMatch(/^([0-9A-Z]{4}-){6}[0-9A-Z]{4}$/)
    // The same offer again: one account key.
    expect(await desk.services.devices.offerLink()).toEqual(offer)
    await laptop.services.devices.rename('Laptop')
    await laptop.services.devices.link(offer.link)

    // Each lists itself first, then the other, by name, both online and linked.
    const onDesk = await listsLinked(desk, ['Desk', 'Laptop'])
    expect(onDesk.map((d) => [d.id, d.current, d.state])).toEqual([
      [deskId, true, 'online'],
      [laptopId, false, 'online'],
    ])
    const onLaptop = await listsLinked(laptop, ['Laptop', 'Desk'])
    expect(onLaptop.map((d) => [d.id, d.current])).toEqual([
      [laptopId, true],
      [deskId, false],
    ])
    expect(desk.of('devices').at(-1)).toEqual(await desk.services.devices.list())

    const raw = await env.lab.client(env.broker.url)
    const toBob = await record(raw, 'IMS/bob/Inbox/Msg/alice')
    const receiptsToBob = await record(raw, 'IMS/bob/Inbox/Rcpt/alice')

    // Sent on the desk: the laptop shows it as mine, sent, stored once.
    const m = await desk.send('bob', 'sent from my desk')
    await waitFor(() => bob.messages().some((x) => x.id === m.id), 'bob to get it')
    const mirrored = await waitFor(async () => (await laptop.history('bob')).find((x) => x.id === m.id), 'the laptop to show it')
    expect(mirrored).toMatchObject({ sender: 'alice', direction: 'out', text: 'sent from my desk', ts: m.ts })
    expect(['sent', 'delivered']).toContain(mirrored.status)
    expect(laptop.query(`SELECT count(*) AS n FROM messages WHERE id = ?`, m.id)).toEqual([{ n: 1 }])
    expect(laptop.query(`SELECT sender_device FROM messages WHERE id = ?`, m.id)).toEqual([{ sender_device: deskId }])
    // Bob's delivery receipt reaches both devices of alice.
    await waitFor(async () => (await laptop.storedStatus('bob', m.id)) === 'delivered', 'the laptop to see it delivered')
    // Only the desk published it to bob; the laptop keeps nothing to send.
    await sleep(300)
    const published = toBob.map((w) => JSON.parse(w.payload.toString()) as { id: string; dev: string })
    expect(published.length).toBeGreaterThan(0)
    expect(published.every((p) => p.id === m.id && p.dev === deskId)).toBe(true)
    expect(laptop.query(`SELECT count(*) AS n FROM outbox WHERE owner = 'messages'`)).toEqual([{ n: 0 }])

    // Sent on the laptop: the desk shows it too.
    const m2 = await laptop.send('bob', 'and one from the laptop')
    await waitFor(async () => (await desk.history('bob')).some((x) => x.id === m2.id && x.direction === 'out'), 'the desk to show it')

    // Bob's reply shows on both, unread on both.
    const reply = await bob.send('alice', 'got both')
    for (const n of [desk, laptop]) {
      await waitFor(async () => (await n.history('bob')).some((x) => x.id === reply.id), `${n.name} to get the reply`)
      await waitFor(async () => (await n.services.conversations.list()).find((c) => c.id === 'dm:bob')?.unread === 1, `${n.name} to count it unread`)
    }

    // Read on the desk: read on the laptop as well; only the desk tells bob.
    await desk.services.conversations.markRead('dm:bob')
    await waitFor(async () => (await laptop.services.conversations.list()).find((c) => c.id === 'dm:bob')?.unread === 0, 'the laptop to mark it read')
    expect(await laptop.storedStatus('bob', reply.id)).toBe('seen')
    await waitFor(async () => (await bob.storedStatus('alice', reply.id)) === 'read', 'bob to see it read')
    await sleep(300)
    const reads = receiptsToBob.map((w) => JSON.parse(w.payload.toString()) as { dev: string; body: { kind: string } }).filter((r) => r.body.kind === 'read')
    expect(reads.map((r) => r.dev)).toEqual([deskId])
    // Reading it on the laptop now sends nothing more: it has nothing unread.
    await laptop.services.conversations.markRead('dm:bob')
    await sleep(300)
    expect(receiptsToBob.filter((w) => JSON.parse(w.payload.toString()).body.kind === 'read')).toHaveLength(1)
  })

  it('a code joins too; a removed device stops syncing and says so, the others forget it', async () => {
    const desk = await openAlice('desk2', 'alice2')
    const laptop = await openAlice('laptop2', 'alice2')
    const bob = await env.lab.open('bob2', urlBroker(env.broker.url))
    await bob.connected()
    await desk.services.devices.rename('Desk')
    await laptop.services.devices.rename('Laptop')
    const { code } = await desk.services.devices.offerLink()
    // Typed as a person might: lower case, spaces instead of dashes.
    await laptop.services.devices.link(code.toLowerCase().replace(/-/g, ' '))
    await listsLinked(desk, ['Desk', 'Laptop'])
    await listsLinked(laptop, ['Laptop', 'Desk'])
    const laptopId = await deviceId(laptop)

    const before = await desk.send('bob2', 'before the removal')
    await waitFor(async () => (await laptop.history('bob2')).some((x) => x.id === before.id), 'the laptop to mirror it')

    const raw = await env.lab.client(env.broker.url)
    const presence = await record(raw, 'IMS/alice2/Presence/+')
    const after = await desk.services.devices.remove(laptopId)
    expect(after.map((d) => d.name)).toEqual(['Desk'])
    // The laptop hears it: no longer linked, and it says so.
    await waitFor(async () => (await laptop.services.devices.list())[0]?.sync === 'removed', 'the laptop to know it was removed')
    expect(laptop.of('devices').at(-1)?.[0]).toMatchObject({ current: true, sync: 'removed' })
    // Its retained presence was cleared by the desk.
    await waitFor(() => presence.some((p) => p.topic === `IMS/alice2/Presence/${laptopId}` && p.payload.length === 0 && p.retain === false), 'the cleared presence')

    // It gets no more of the desk's messages, and shares nothing.
    const later = await desk.send('bob2', 'after the removal')
    await waitFor(() => bob.messages().some((x) => x.id === later.id), 'bob to get it')
    await sleep(500)
    expect((await laptop.history('bob2')).some((x) => x.id === later.id)).toBe(false)
    const own = await laptop.send('bob2', 'the laptop alone')
    await waitFor(() => bob.messages().some((x) => x.id === own.id), 'bob to get the laptop message')
    await sleep(500)
    expect((await desk.history('bob2')).some((x) => x.id === own.id)).toBe(false)
    expect((await desk.services.devices.list()).map((d) => d.name)).toEqual(['Desk'])
    // But bob's messages still reach both: they are the same user.
    const reply = await bob.send('alice2', 'still there?')
    for (const n of [desk, laptop]) await waitFor(async () => (await n.history('bob2')).some((x) => x.id === reply.id), `${n.name} to get the reply`)

    // Across a restart the laptop still knows it was removed.
    await env.lab.close(laptop)
    const again = await env.lab.open('laptop2', undefined, laptop.dataDir)
    expect((await again.services.devices.list())[0]).toMatchObject({ current: true, sync: 'removed' })
  })

  it('signing out (keeping the history) leaves the device sync: signed in again, the device is not linked', async () => {
    const desk = await openAlice('desk4', 'alice4')
    const laptop = await openAlice('laptop4', 'alice4')
    await laptop.services.devices.link((await desk.services.devices.offerLink()).link)
    await listsLinked(laptop, await namesOf(laptop, desk))
    await laptop.services.account.signOut({ deleteHistory: false })
    expect(await laptop.services.devices.list()).toEqual([])
    await laptop.services.account.setup({ user: 'alice4', broker: urlBroker(env.broker.url) })
    await laptop.connected()
    expect((await laptop.services.devices.list())[0]).toMatchObject({ current: true, sync: 'unlinked' })
    expect(laptop.log.lines.some((l) => l.includes('left the device sync: signed out'))).toBe(true)
    // What the desk shares no longer reaches it.
    const m = await desk.send('bob4', 'after the sign-out')
    await sleep(500)
    expect((await laptop.history('bob4')).some((x) => x.id === m.id)).toBe(false)
  })

  it('items sealed with another key, forged or altered are dropped with a reason', async () => {
    const desk = await openAlice('desk3', 'alice3')
    const laptop = await openAlice('laptop3', 'alice3')
    const bob = await env.lab.open('bob3', urlBroker(env.broker.url))
    await bob.connected()
    const { link } = await desk.services.devices.offerLink()
    await laptop.services.devices.link(link)
    await listsLinked(laptop, await namesOf(laptop, desk))
    const deskId = await deviceId(desk)
    const raw = await env.lab.client(env.broker.url)
    const sync = await record(raw, 'IMS/alice3/Sync/+')
    // Another data directory of alice3 that made its own account key: its items do not open for the others,
    // and the others list it as a device of alice3 that is not linked.
    const stranger = await openAlice('stranger3', 'alice3')
    await stranger.services.devices.offerLink()
    const strangerId = await deviceId(stranger)
    const m = await stranger.send('bob3', 'from a device that is not linked with them')
    await waitFor(() => bob.messages().some((x) => x.id === m.id), 'bob to get it')
    await waitFor(() => desk.log.lines.some((l) => l.includes('dropped a sync item') && l.includes(strangerId) && l.includes('does not open')), 'the desk to drop it')
    expect((await desk.history('bob3')).some((x) => x.id === m.id)).toBe(false)
    await waitFor(async () => (await desk.services.devices.list()).find((d) => d.id === strangerId)?.sync === 'unlinked', 'the desk to list the stranger as unlinked')

    // A real item of the desk, replayed as it was and under another device's topic.
    const ok = await desk.send('bob3', 'still syncing')
    await waitFor(async () => (await laptop.history('bob3')).some((x) => x.id === ok.id), 'the laptop to mirror it')
    const item = sync.find((w) => w.topic === `IMS/alice3/Sync/${deskId}`)!
    await publish(raw, item.topic, item.payload)
    await waitFor(() => laptop.log.lines.some((l) => l.includes('skipped a sync item applied before')), 'the laptop to skip the replay')
    await publish(raw, 'IMS/alice3/Sync/0000000000000000', item.payload)
    await waitFor(() => laptop.log.lines.some((l) => l.includes('dropped a sync item') && l.includes('Sync/0000000000000000') && l.includes('is not the topic')), 'the laptop to drop the moved item')
    expect((await laptop.history('bob3')).filter((x) => x.id === ok.id)).toHaveLength(1)

    // Forged items on the sync topic.
    const forged = envelope('sync', 'alice3', { iv: 'AAAAAAAAAAAAAAAA', data: 'bm90IHNlYWxlZA==', tag: 'AAAAAAAAAAAAAAAAAAAAAA==' }, { dev: 'evil' })
    await publish(raw, 'IMS/alice3/Sync/evil', encodeEnvelope(forged))
    await publish(raw, 'IMS/alice3/Sync/evil', 'not even json')
    await waitFor(() => desk.log.lines.filter((l) => l.includes('dropped a sync item') && l.includes('IMS/alice3/Sync/evil')).length >= 2, 'the desk to drop the forgeries')
    expect(desk.log.lines.some((l) => l.includes('IMS/alice3/Sync/evil') && l.includes('does not open'))).toBe(true)

    // Everything still works between the linked two.
    const last = await laptop.send('bob3', 'and still syncing')
    await waitFor(async () => (await desk.history('bob3')).some((x) => x.id === last.id), 'the desk to mirror it')

    // The stranger links with the desk's link after all: it leaves its own key's sync and joins theirs.
    await stranger.services.devices.link(link)
    await waitFor(async () => {
      const list = await stranger.services.devices.list()
      return list.length === 3 && list.every((d) => d.sync === 'linked')
    }, 'the stranger to list all three as linked')
    const joined = await stranger.send('bob3', 'one of you now')
    for (const n of [desk, laptop]) await waitFor(async () => (await n.history('bob3')).some((x) => x.id === joined.id), `${n.name} to mirror it`)
  })
})

/** The names `a` should list: its own, then `b`'s. */
async function namesOf(a: Node, b: Node): Promise<string[]> {
  const nameOf = async (n: Node) => (await n.services.devices.list())[0]!.name
  return [await nameOf(a), await nameOf(b)]
}
