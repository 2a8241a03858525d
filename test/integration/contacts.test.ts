/**
 * Friend requests over a real Mosquitto (seed 000 scenario 1): ask, accept,
 * decline, withdraw, asking each other, lapsing, a request to someone who has
 * never connected, a restart, a plain MQTT client, a flood and hostile payloads.
 */
import { describe, expect, it } from 'vitest'
import type { Contact, ContactsChange } from '../../src/shared/contract'
import { encodeEnvelope, envelope } from '../../src/main/core/protocol/codec'
import { FAST, publish, record, sleep, urlBroker, useMosquittoLab, waitFor, type Node } from '../helpers/core'

/** What `node` lists now, as [user, state] pairs. */
async function listed(node: Node): Promise<[string, Contact['state']][]> {
  return (await node.services.contacts.list()).map((c) => [c.user, c.state])
}

async function lists(node: Node, expected: [string, Contact['state']][], what: string): Promise<void> {
  await waitFor(async () => JSON.stringify(await listed(node)) === JSON.stringify(expected), what)
}

const changes = (node: Node): ContactsChange[] => node.of('contacts')

describe('friend requests', () => {
  const env = useMosquittoLab({ tuning: FAST })
  const open = env.online

  it('alice asks bob with a note, bob accepts: each is a contact of the other', async () => {
    const [alice, bob] = [await open('alice'), await open('bob')]
    const asked = await alice.services.contacts.request({ user: 'bob', note: 'Hi Bob, we met at the café ☕' })
    expect(asked).toMatchObject({ user: 'bob', state: 'outgoing', note: 'Hi Bob, we met at the café ☕', expiresAt: expect.any(Number) })
    // 30 days by default.
    expect(asked.expiresAt! - asked.since).toBe(30 * 86_400_000)
    await waitFor(async () => (await alice.services.contacts.list())[0]?.delivery === 'sent', 'the broker to take the request')

    await lists(bob, [['alice', 'incoming']], 'bob to see the request')
    const incoming = (await bob.services.contacts.list())[0]!
    expect(incoming).toMatchObject({ note: 'Hi Bob, we met at the café ☕', expiresAt: asked.expiresAt })
    expect(incoming.delivery).toBeUndefined()
    await waitFor(() => changes(bob).length, 'the contacts event')
    expect(changes(bob).flatMap((c) => c.changed).map((c) => [c.user, c.state])).toEqual([['alice', 'incoming']])

    const accepted = await bob.services.contacts.accept('alice')
    expect(accepted).toMatchObject({ user: 'alice', state: 'contact', note: null, expiresAt: null })
    await lists(alice, [['bob', 'contact']], 'alice to hear the accept')
    await lists(bob, [['alice', 'contact']], 'bob to keep alice')
    // Answered: alice stops offering her request.
    expect(alice.query(`SELECT ref FROM outbox WHERE owner = 'contacts'`)).toEqual([])
    await waitFor(() => changes(alice).some((c) => c.changed.some((x) => x.user === 'bob' && x.state === 'contact')), 'the contacts event')

    // Asking again, or accepting again, changes nothing.
    expect(await alice.services.contacts.request({ user: 'bob' })).toMatchObject({ state: 'contact' })
    expect(await bob.services.contacts.accept('alice')).toMatchObject({ state: 'contact' })
    await expect(bob.services.contacts.accept('nobody')).rejects.toThrow('There is no friend request from nobody.')
    await expect(alice.services.contacts.request({ user: 'alice' })).rejects.toThrow('You cannot send yourself a friend request.')
  })

  it('declining and withdrawing remove the request on both sides', async () => {
    const [carol, dave, erin] = [await open('carol'), await open('dave'), await open('erin')]
    await carol.services.contacts.request({ user: 'dave' })
    await carol.services.contacts.request({ user: 'erin', note: 'first note' })
    await lists(dave, [['carol', 'incoming']], 'dave to see carol')
    await lists(erin, [['carol', 'incoming']], 'erin to see carol')

    await dave.services.contacts.decline('carol')
    expect(await listed(dave)).toEqual([])
    await waitFor(async () => !(await listed(carol)).some(([u]) => u === 'dave'), 'carol to hear the decline')
    await waitFor(() => changes(carol).some((c) => c.removed.includes('dave')), 'the removal event')

    // A newer request replaces the note; then carol withdraws it.
    await carol.services.contacts.request({ user: 'erin', note: 'second note' })
    await waitFor(async () => (await erin.services.contacts.list())[0]?.note === 'second note', 'erin to see the new note')
    expect(await listed(erin)).toEqual([['carol', 'incoming']])
    await carol.services.contacts.cancel('erin')
    expect(await listed(carol)).toEqual([])
    await lists(erin, [], 'the withdrawal to reach erin')
    await expect(carol.services.contacts.cancel('erin')).rejects.toThrow('You have no pending friend request to erin.')
    expect(carol.query(`SELECT ref FROM outbox WHERE owner = 'contacts' AND ref LIKE 'request:%'`)).toEqual([])
  })

  it('asking someone who asked me first is an accept, on both sides', async () => {
    const [fay, gus] = [await open('fay'), await open('gus')]
    await fay.services.contacts.request({ user: 'gus' })
    await lists(gus, [['fay', 'incoming']], 'gus to see fay')
    expect(await gus.services.contacts.request({ user: 'fay' })).toMatchObject({ user: 'fay', state: 'contact' })
    await lists(fay, [['gus', 'contact']], 'fay to hear the accept')

    // Both at once (neither has seen the other's request yet): both end up contacts.
    const [hal, ivy] = [await open('hal'), await open('ivy')]
    await Promise.all([hal.services.contacts.request({ user: 'ivy' }), ivy.services.contacts.request({ user: 'hal' })])
    await lists(hal, [['ivy', 'contact']], 'hal and ivy to be contacts')
    await lists(ivy, [['hal', 'contact']], 'ivy and hal to be contacts')
  })

  it('a request lapses on both sides when it expires', async () => {
    const [jan, kim] = [await open('jan'), await open('kim')]
    // kit has a broker session but is away: the broker holds the request for her, until it lapses.
    const kit = await open('kit')
    await env.lab.close(kit)
    await jan.services.contacts.request({ user: 'kit', expiresInSeconds: 2 })
    const asked = await jan.services.contacts.request({ user: 'kim', expiresInSeconds: 2 })
    expect(asked.expiresAt! - asked.since).toBe(2_000)
    await lists(kim, [['jan', 'incoming']], 'kim to see the request')
    await lists(kim, [], 'the request to lapse for kim')
    await lists(jan, [], 'the request to lapse for jan')
    expect(Date.now()).toBeGreaterThanOrEqual(asked.expiresAt!)
    await waitFor(() => changes(kim).at(-1)?.removed.length, 'the removal event')
    expect(changes(kim).at(-1)).toEqual({ changed: [], removed: ['jan'] })
    expect(jan.query(`SELECT ref FROM outbox WHERE owner = 'contacts'`)).toEqual([])
    await expect(kim.services.contacts.accept('jan')).rejects.toThrow('There is no friend request from jan.')

    // MQTT 5 Message Expiry: the broker dropped what it held for kit, so she never even sees a lapsed request.
    // (Mosquitto counts expiry in whole seconds: give it two more.)
    await sleep(2_000)
    const kit2 = await env.lab.open('kit', undefined, kit.dataDir)
    await kit2.connected()
    await sleep(300)
    expect(await listed(kit2)).toEqual([])
    expect(kit2.log.lines.join('\n')).not.toContain('friend request')
  })

  it('a request to someone who has never connected arrives when they first do (their presence brings it)', async () => {
    // A re-offer interval longer than the test: only coming online can bring it.
    const lea = await env.lab.open('lea', urlBroker(env.broker.url), { tuning: { reofferBaseMs: 600_000 } })
    await lea.connected()
    await lea.services.contacts.request({ user: 'max', note: 'see you online' })
    await waitFor(async () => (await lea.services.contacts.list())[0]?.delivery === 'sent', 'the broker to take it (and drop it)')
    await sleep(300)
    const max = await open('max')
    await lists(max, [['lea', 'incoming']], 'max to get the request on his first connection')
    await max.services.contacts.accept('lea')
    await lists(lea, [['max', 'contact']], 'lea to hear the accept')
  })

  it('requests in and out and contacts survive a restart on both sides', async () => {
    const [ned, ola, pam] = [await open('ned'), await open('ola'), await open('pam')]
    await ned.services.contacts.request({ user: 'ola', note: 'hello' })
    await sleep(5) // the newest first: pam's request must be newer than ned's by the clock
    await pam.services.contacts.request({ user: 'ned' })
    await lists(ola, [['ned', 'incoming']], 'ola to see ned')
    await lists(ned, [['pam', 'incoming'], ['ola', 'outgoing']], 'ned to see pam')
    const before = await ned.services.contacts.list()

    await env.lab.close(ned)
    await env.lab.close(ola)
    const ned2 = await env.lab.open('ned', undefined, ned.dataDir)
    const ola2 = await env.lab.open('ola', undefined, ola.dataDir)
    expect(await ned2.services.contacts.list()).toEqual(before)
    expect(await listed(ola2)).toEqual([['ned', 'incoming']])
    await ned2.connected()
    await ola2.connected()
    await ola2.services.contacts.accept('ned')
    await waitFor(async () => (await listed(ned2)).some(([u, s]) => u === 'ola' && s === 'contact'), 'ned to hear the accept after his restart')
  })

  it('a plain MQTT client that publishes a friend request as docs/protocol.md says shows up, and hears the answer', async () => {
    const rob = await open('rob')
    const raw = await env.lab.client(env.broker.url)
    const answers = await record(raw, 'IMS/shell/Inbox/Add/GFResp/rob')
    const request = {
      v: 1,
      id: '01935c6e-7a4b-7c3d-9e2f-5a6b7c8d9e0f',
      type: 'friend-request',
      from: 'shell',
      ts: Date.now(),
      body: { action: 'request', note: 'from the shell', expires: Date.now() + 86_400_000 },
    }
    await publish(raw, 'IMS/rob/Inbox/Add/GFReq/shell', JSON.stringify(request))
    await lists(rob, [['shell', 'incoming']], 'rob to list the shell request')
    expect((await rob.services.contacts.list())[0]).toMatchObject({ note: 'from the shell', expiresAt: request.body.expires })

    // The same request again (a re-offer) changes nothing.
    await waitFor(() => changes(rob).length, 'the contacts event')
    const events = changes(rob).length
    await publish(raw, 'IMS/rob/Inbox/Add/GFReq/shell', JSON.stringify(request))
    await sleep(300)
    expect(changes(rob)).toHaveLength(events)

    await rob.services.contacts.accept('shell')
    const answer = await waitFor(() => answers[0], 'the answer on the wire')
    expect(JSON.parse(answer.payload.toString())).toMatchObject({ v: 1, type: 'friend-response', from: 'rob', body: { answer: 'accept' } })
    // Asked again by a contact (who missed the answer): answered again.
    await publish(raw, 'IMS/rob/Inbox/Add/GFReq/shell', JSON.stringify({ ...request, id: '01935c6e-7a4b-7c3d-9e2f-5a6b7c8d9e10' }))
    await waitFor(() => answers.length >= 2, 'a second accept')
    expect(await listed(rob)).toEqual([['shell', 'contact']])
  })

  it('a flood of 1,000 requests from 1,000 names is stored, listed and told in a few events', async () => {
    const sue = await open('sue')
    const raw = await env.lab.client(env.broker.url)
    const started = Date.now()
    await Promise.all(
      Array.from({ length: 1000 }, (_, i) => {
        const from = `flood${i}`
        const e = envelope('friend-request', from, { action: 'request', note: `request ${i}`, expires: Date.now() + 60_000 })
        return publish(raw, `IMS/sue/Inbox/Add/GFReq/${from}`, encodeEnvelope(e))
      }),
    )
    await waitFor(async () => (await sue.services.contacts.list()).length === 1000, 'all 1,000 to be listed', 15_000)
    await sleep(300)
    const events = changes(sue)
    expect(events.reduce((n, c) => n + c.changed.length, 0)).toBe(1000)
    expect(events.length).toBeLessThanOrEqual(20)
    expect(new Set(events.flatMap((c) => c.changed.map((x) => x.user))).size).toBe(1000)
    // Still responsive: an ordinary message goes through at once.
    const tom = await open('tom')
    const m = await tom.send('sue', 'still there?')
    await waitFor(async () => (await sue.history('tom')).some((x) => x.id === m.id), 'the message after the flood')
    expect(Date.now() - started).toBeLessThan(15_000)
  })

  it('on linked devices: a request reaches both, accepting on one makes a contact on both, my requests show on both', async () => {
    const desk = await env.lab.open('vic-desk', urlBroker(env.broker.url), { user: 'vic' })
    const laptop = await env.lab.open('vic-laptop', urlBroker(env.broker.url), { user: 'vic' })
    await desk.connected()
    await laptop.connected()
    await laptop.services.devices.link((await desk.services.devices.offerLink()).link)
    await waitFor(async () => {
      const list = await desk.services.devices.list()
      return list.length === 2 && list.every((d) => d.sync === 'linked')
    }, 'the link')
    const [wes, xan] = [await open('wes'), await open('xan')]

    await wes.services.contacts.request({ user: 'vic', note: 'hi Vic' })
    await lists(desk, [['wes', 'incoming']], 'the desk to see the request')
    await lists(laptop, [['wes', 'incoming']], 'the laptop to see the request')
    await desk.services.contacts.accept('wes')
    await lists(laptop, [['wes', 'contact']], 'the laptop to hear of the accept')
    await lists(wes, [['vic', 'contact']], 'wes to hear the accept')

    await laptop.services.contacts.request({ user: 'xan' })
    await lists(desk, [['wes', 'contact'], ['xan', 'outgoing']], "the desk to show the laptop's request")
    await xan.services.contacts.accept('vic')
    // Each device of mine hears the answer itself; the newest contact first.
    await lists(desk, [['xan', 'contact'], ['wes', 'contact']], 'the desk to hear the accept')
    await lists(laptop, [['xan', 'contact'], ['wes', 'contact']], 'the laptop to hear the accept')
  })

  it('drops malformed and hostile requests with a logged reason, and carries on', async () => {
    const uma = await open('uma')
    const raw = await env.lab.client(env.broker.url)
    const req = (from: string, body: Record<string, unknown>, over: Record<string, unknown> = {}) =>
      JSON.stringify({ v: 1, id: '01935c6e-7a4b-7c3d-9e2f-5a6b7c8d9e0f', type: 'friend-request', from, ts: Date.now(), body, ...over })
    const topic = (from: string) => `IMS/uma/Inbox/Add/GFReq/${from}`
    await publish(raw, topic('m1'), '{ not json')
    await publish(raw, topic('m2'), 'hello, plain text')
    await publish(raw, topic('m3'), req('m3', { action: 'befriend' }))
    await publish(raw, topic('m4'), req('m4', { action: 'request', note: 'evil \u202Egnp.exe' }))
    await publish(raw, topic('m5'), req('m5', { action: 'request', note: 'x'.repeat(281) }))
    await publish(raw, topic('m6'), req('someone-else', { action: 'request' }))
    await publish(raw, topic('m7'), req('m7', { action: 'request', expires: Date.now() - 1 }))
    await publish(raw, topic('m8'), Buffer.alloc(70_000, 0x7b))
    await publish(raw, topic('m9'), req('m9', { answer: 'accept' }, { type: 'friend-response' }))
    await publish(raw, topic('m10'), req('m10', { action: 'request' }), { retain: true })
    await publish(raw, 'IMS/uma/Inbox/Add/GFResp/m11', req('m11', { answer: 'maybe' }, { type: 'friend-response' }))
    await publish(raw, topic('uma'), req('uma', { action: 'request' }))
    await publish(raw, topic('\u202Eevil'), req('\u202Eevil', { action: 'request' }))
    await publish(raw, topic('ok'), req('ok', { action: 'request', note: 'a fine request' }))
    await lists(uma, [['ok', 'incoming']], 'the one good request')
    const log = uma.log.lines.join('\n')
    for (const reason of [
      'payload is malformed JSON',
      'payload is not a Parley envelope',
      'invalid envelope: body.action',
      'invalid envelope: body.note',
      'does not match topic sender m6',
      'it lapsed',
      'payload of 70000 bytes is over',
      'a friend-response envelope on a friend-request topic',
      'dropped a retained message',
      'invalid envelope: body.answer',
      'a message from myself on my own inbox',
      'bad sender name in topic: A name cannot contain control or invisible characters',
    ]) {
      expect(log).toContain(reason)
    }
    expect(uma.status.state).toBe('connected')
    // Clean up the retained message for the other tests of this broker.
    await publish(raw, topic('m10'), '', { retain: true })
  })
})
