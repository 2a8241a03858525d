/**
 * Profiles over a real Mosquitto: retained on R/{user}/Profile, seen live and from
 * the cache, written by a plain MQTT client as docs/protocol.md says, newest time
 * wins, and what is malformed or oversize is dropped while the session stays up.
 */
import { Jimp } from 'jimp'
import { describe, expect, it } from 'vitest'
import type { Profile } from '../../src/shared/contract'
import { FAST, publish, record, sleep, urlBroker, useMosquittoLab, waitFor, type Node } from '../helpers/core'

/** A real PNG of `size` px with some detail, as base64. */
async function pngBase64(size: number): Promise<string> {
  const img = new Jimp({ width: size, height: size })
  const d = img.bitmap.data
  for (let i = 0; i < d.length; i += 4) {
    d[i] = (i / 4) % size
    d[i + 1] = Math.floor(i / 4 / size)
    d[i + 2] = 200
    d[i + 3] = 255
  }
  return (await img.getBuffer('image/png')).toString('base64')
}

/** What docs/protocol.md says a profile payload is. */
function profilePayload(from: string, body: Record<string, unknown>, ts = Date.now()): string {
  return JSON.stringify({ v: 1, id: crypto.randomUUID(), type: 'profile', from, ts, body })
}

/** Waits until `node`'s get(user) satisfies `check`. */
function profileWhere(node: Node, user: string, check: (p: Profile) => boolean, what: string): Promise<Profile> {
  return waitFor(
    async () => {
      const p = await node.services.profiles.get(user)
      return check(p) ? p : null
    },
    `${node.name} to see ${what}`,
  )
}

/** The payload of the last message recorded, as text. */
const lastPayload = (seen: { payload: Buffer }[]): string => String(seen.at(-1)?.payload ?? '')

describe('profiles', () => {
  const env = useMosquittoLab({ tuning: FAST })

  it('alice changes her profile and avatar; bob sees it live, and after a restart from his cache; her next connection restores it on the broker', async () => {
    const bob = await env.lab.open('bob', urlBroker(env.broker.url))
    const alice = await env.lab.open('alice', urlBroker(env.broker.url))
    await bob.connected()
    await alice.connected()
    expect(await bob.services.profiles.get('alice')).toEqual({ user: 'alice', name: null, status: null, avatar: null, email: null, updatedAt: null })

    const updated = await alice.services.profiles.update({ name: 'Alice Liddell', status: 'Down the rabbit hole', email: 'alice@example.com' })
    expect(updated).toMatchObject({ user: 'alice', name: 'Alice Liddell', status: 'Down the rabbit hole', email: 'alice@example.com', avatar: null })
    expect(await alice.services.profiles.publishState()).toEqual({ published: true, error: null })
    const withAvatar = await alice.services.profiles.setAvatar({ base64: await pngBase64(400) })
    expect(withAvatar.avatar).toMatch(/^data:image\/jpeg;base64,/)
    expect(withAvatar.name).toBe('Alice Liddell')

    // Live: an event, then get() answers the same.
    const live = await waitFor(() => bob.of('profile').find((p) => p.user === 'alice' && p.avatar !== null), "alice's profile event at bob")
    expect(live).toMatchObject({ name: 'Alice Liddell', status: 'Down the rabbit hole', email: 'alice@example.com', avatar: withAvatar.avatar })
    expect(await bob.services.profiles.get('alice')).toEqual(live)

    // A plain subscriber sees exactly the documented envelope, retained.
    const raw = await env.lab.client(env.broker.url)
    const held = await record(raw, 'IMS/alice/Profile')
    await waitFor(() => held.length === 1, 'the retained profile')
    expect(held[0]!.retain).toBe(true)
    expect(JSON.parse(held[0]!.payload.toString())).toMatchObject({
      v: 1,
      type: 'profile',
      from: 'alice',
      ts: withAvatar.updatedAt,
      body: { name: 'Alice Liddell', status: 'Down the rabbit hole', email: 'alice@example.com', avatar: withAvatar.avatar },
    })

    // Both close; the broker loses the retained profile; bob, restarted, still shows it (from his cache).
    await env.lab.close(alice)
    await env.lab.close(bob)
    await publish(raw, 'IMS/alice/Profile', '', { retain: true })
    const bobAgain = await env.lab.open('bob', undefined, bob.dataDir)
    await bobAgain.connected()
    await sleep(300)
    expect(await bobAgain.services.profiles.get('alice')).toEqual(live)
    expect(bobAgain.query('SELECT name FROM profiles WHERE user = ?', 'alice')).toEqual([{ name: 'Alice Liddell' }])

    // Alice's next connection publishes it again: the broker has it back.
    const restored = await record(await env.lab.client(env.broker.url), 'IMS/alice/Profile')
    const aliceAgain = await env.lab.open('alice', undefined, alice.dataDir)
    await aliceAgain.connected()
    await waitFor(() => restored.some((m) => m.retain || m.payload.length > 0), 'her profile back on the broker')
    expect(JSON.parse(restored.at(-1)!.payload.toString())).toMatchObject({ from: 'alice', ts: withAvatar.updatedAt })
    expect(await aliceAgain.services.profiles.mine()).toEqual(withAvatar)
  })

  it('a profile published by a plain MQTT client as docs/protocol.md says is shown, with its avatar; a stranger cannot rewrite mine', async () => {
    const bob = await env.lab.open('bob2', urlBroker(env.broker.url))
    await bob.connected()
    const raw = await env.lab.client(env.broker.url)
    const avatar = `data:image/png;base64,${await pngBase64(32)}`
    const ts = Date.now()
    await publish(raw, 'IMS/carol/Profile', profilePayload('carol', { name: 'Carol from the shell', status: 'scripting', avatar }, ts), { retain: true })
    // Asking follows her: the retained profile arrives.
    await bob.services.profiles.get('carol')
    const p = await profileWhere(bob, 'carol', (x) => x.updatedAt !== null, "carol's profile")
    expect(p).toEqual({ user: 'carol', name: 'Carol from the shell', status: 'scripting', avatar, email: null, updatedAt: ts })

    // Anyone can publish on my own topic without a broker ACL: a newer profile there that no
    // device of mine vouched for is not taken, and mine is put back (after a moment's wait).
    await bob.services.profiles.update({ name: 'Bob' })
    const seen = await record(raw, 'IMS/bob2/Profile')
    await publish(raw, 'IMS/bob2/Profile', profilePayload('bob2', { name: 'Mallory was here' }, Date.now() + 1000), { retain: true })
    await waitFor(() => seen.some((m) => m.payload.includes('Mallory')) && lastPayload(seen).includes('"name":"Bob"'), 'bob2 to put his profile back')
    expect((await bob.services.profiles.mine()).name).toBe('Bob')
  })

  it("a change on my linked device becomes my profile here too; each device's version wins only when newer", async () => {
    const desk = await env.lab.open('desk', urlBroker(env.broker.url), { user: 'dana' })
    const laptop = await env.lab.open('laptop', urlBroker(env.broker.url), { user: 'dana' })
    await Promise.all([desk.connected(), laptop.connected()])
    await laptop.services.devices.link((await desk.services.devices.offerLink()).link)
    await desk.services.profiles.update({ name: 'Dana at her desk', status: 'working' })
    await waitFor(async () => (await laptop.services.profiles.mine()).name === 'Dana at her desk', 'the laptop to take the desk’s profile')
    await laptop.services.profiles.update({ status: 'on the train' })
    await waitFor(async () => (await desk.services.profiles.mine()).status === 'on the train', 'the desk to take the laptop’s change')
    expect(await desk.services.profiles.mine()).toMatchObject({ name: 'Dana at her desk', status: 'on the train' })
  })

  it('an older retained replay never overwrites a newer profile; an empty retained payload clears it', async () => {
    const bob = await env.lab.open('bob3', urlBroker(env.broker.url))
    await bob.connected()
    const raw = await env.lab.client(env.broker.url)
    const now = Date.now()
    await publish(raw, 'IMS/dave/Profile', profilePayload('dave', { name: 'Dave (new)' }, now), { retain: true })
    await bob.services.profiles.get('dave')
    await profileWhere(bob, 'dave', (p) => p.name === 'Dave (new)', 'the newer profile')

    // An older copy arrives live: ignored.
    await publish(raw, 'IMS/dave/Profile', profilePayload('dave', { name: 'Dave (old)' }, now - 60_000), { retain: true })
    await sleep(300)
    expect(await bob.services.profiles.get('dave')).toMatchObject({ name: 'Dave (new)', updatedAt: now })
    // And again as the retained message a restarted bob gets on subscribing: still ignored.
    await env.lab.close(bob)
    const bobAgain = await env.lab.open('bob3', undefined, bob.dataDir)
    await bobAgain.connected()
    expect(await bobAgain.services.profiles.get('dave')).toMatchObject({ name: 'Dave (new)' }) // from the cache; asking follows dave again
    await waitFor(() => bobAgain.log.lines.some((l) => l.includes('kept a newer profile')), 'the replay to arrive and be refused')
    expect(await bobAgain.services.profiles.get('dave')).toMatchObject({ name: 'Dave (new)', updatedAt: now })
    // Control: a newer one still gets through on the same route.
    await publish(raw, 'IMS/dave/Profile', profilePayload('dave', { name: 'Dave (newest)' }, now + 1), { retain: true })
    await profileWhere(bobAgain, 'dave', (p) => p.name === 'Dave (newest)', 'the newest profile')
    expect([...bob.of('profile'), ...bobAgain.of('profile')].some((p) => p.name === 'Dave (old)')).toBe(false)

    // Cleared: the fields go, the time stays (an older copy still cannot come back).
    await publish(raw, 'IMS/dave/Profile', '', { retain: true })
    const cleared = await profileWhere(bobAgain, 'dave', (p) => p.name === null, 'the cleared profile')
    expect(cleared).toMatchObject({ name: null, status: null, avatar: null, updatedAt: now + 1 })
  })

  it('malformed, hostile and oversize profiles are dropped with a logged reason; a bad avatar alone is dropped; the session stays up', async () => {
    const bob = await env.lab.open('bob4', urlBroker(env.broker.url))
    await bob.connected()
    const raw = await env.lab.client(env.broker.url)
    const now = Date.now()
    // A first valid profile: once bob has it, his subscription is surely active and every publish below reaches him.
    await publish(raw, 'IMS/eve/Profile', profilePayload('eve', { name: 'Eve (first)' }, now - 1000), { retain: true })
    await bob.services.profiles.get('eve')
    await profileWhere(bob, 'eve', (x) => x.name === 'Eve (first)', "eve's first profile")
    const statusesBefore = bob.statuses().length
    const bad: [string, string | Buffer][] = [
      ['bad JSON', '{"v":1,"type":"profile",'],
      ['wrong type', profilePayload('eve', { name: 42 }, now)],
      ['hostile name', profilePayload('eve', { name: 'Eve\u202Eevil' }, now)],
      ['forged sender', profilePayload('mallory', { name: 'Not Eve' }, now)],
      ['far future', profilePayload('eve', { name: 'Eve forever' }, now + 400 * 24 * 3600_000)],
      ['200 KB', profilePayload('eve', { name: 'Big', status: 'x'.repeat(200_000) }, now)],
      ['10 MB', Buffer.alloc(10 * 1024 * 1024, 0x7b)],
    ]
    for (const [, payload] of bad) await publish(raw, 'IMS/eve/Profile', payload, { retain: true })
    // A valid name with an avatar that is not a picture: the name is kept, the avatar dropped.
    const fake = `data:image/png;base64,${Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>').toString('base64')}`
    await publish(raw, 'IMS/eve/Profile', profilePayload('eve', { name: 'Eve', avatar: fake }, now), { retain: true })
    const p = await profileWhere(bob, 'eve', (x) => x.name === 'Eve', "eve's valid name")
    expect(p.avatar).toBeNull()

    const lines = bob.log.lines.join('\n')
    expect(lines).toMatch(/dropped a profile.*malformed JSON/)
    expect(lines).toMatch(/dropped a profile.*body\.name/)
    expect(lines).toMatch(/dropped a profile.*invisible/)
    expect(lines).toMatch(/dropped a profile.*does not match topic sender/)
    expect(lines).toMatch(/dropped a profile.*more than a day ahead/)
    expect(lines).toMatch(/dropped a profile.*over 131072/)
    expect(lines).toMatch(/dropped the avatar of a profile.*not a PNG, JPEG or WebP/)
    await waitFor(() => bob.of('profile').some((x) => x.name === 'Eve'), "the event for eve's valid profile")
    expect(bob.of('profile').filter((x) => x.user === 'eve').map((x) => x.name)).toEqual(['Eve (first)', 'Eve'])
    // Still the same connection: nothing above cost bob his session.
    expect(bob.status.state).toBe('connected')
    expect(bob.statuses().slice(statusesBefore).some((s) => s.state !== 'connected')).toBe(false)
    // And it still works: a good update after all that arrives.
    await publish(raw, 'IMS/eve/Profile', profilePayload('eve', { name: 'Eve again' }, now + 5), { retain: true })
    await profileWhere(bob, 'eve', (x) => x.name === 'Eve again', 'a later valid profile')
  })
})
