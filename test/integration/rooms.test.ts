/**
 * Open rooms over a real Mosquitto: plain MQTT clients (a raw mqtt.js client here;
 * paho and mosquitto_pub/sub in rooms-cli.test.ts) and Parley in one room. Seed
 * 004's "username (client_id): message" names the sender, other text is from the
 * topic's last level; a wildcard room says the topic of each message; retained
 * messages show once, marked; Parley posts plain text in the seed format; hostile
 * filters and payloads are refused or dropped with a reason.
 */
import { describe, expect, it } from 'vitest'
import type { RoomMessage } from '../../src/shared/contract'
import { FAST, publish, record, sleep, useMosquittoLab, waitFor, type Node } from '../helpers/core'

const roomMessages = (n: Node, conversationId: string): RoomMessage[] => n.of('roomMessage').filter((r) => r.message.conversationId === conversationId)

async function page(n: Node, conversationId: string) {
  return (await n.services.messages.page({ conversationId, limit: 500 })).messages
}

describe('open rooms', () => {
  const env = useMosquittoLab({ tuning: FAST })

  it('shows a plain client\'s posts with the seed sender or the topic\'s last level, and posts plain text in the seed format', async () => {
    const alice = await env.online('alice')
    const raw = await env.lab.client(env.broker.url)
    const heard = await record(raw, 'team/coding_issues')

    const room = await alice.services.rooms.join({ room: 'team/coding_issues', qos: 1 })
    expect(room).toMatchObject({ filter: 'team/coding_issues', conversationId: 'room:team/coding_issues', qos: 1, wildcard: false, code: null })
    expect(room.link).toBe('parley://room?topic=team%2Fcoding_issues&qos=1')
    await sleep(100)

    await publish(raw, 'team/coding_issues', 'bob (paho-7): the build is red')
    await publish(raw, 'team/coding_issues', 'just text, no name')
    await waitFor(() => roomMessages(alice, room.conversationId).length === 2, 'both posts')
    const [a, b] = roomMessages(alice, room.conversationId)
    expect(a).toMatchObject({ topic: 'team/coding_issues', retained: false, message: { sender: 'bob', text: 'the build is red', direction: 'in' } })
    expect(b).toMatchObject({ message: { sender: 'coding_issues', text: 'just text, no name' } })

    // The conversation list shows it like any chat, titled with the topic.
    const conv = (await alice.services.conversations.list()).find((c) => c.id === room.conversationId)
    expect(conv).toMatchObject({ kind: 'room', title: 'team/coding_issues', unread: 2 })

    // alice posts from the chat: the wire carries seed-004 plain text with her device id, never the MQTT client id.
    const deviceId = (await alice.services.account.getState()).deviceId
    const sent = await alice.services.messages.send({ conversationId: room.conversationId, text: 'on it' })
    await waitFor(() => heard.some((h) => h.payload.toString() === `alice (${deviceId}): on it`), 'the post on the wire')
    await waitFor(async () => (await page(alice, room.conversationId)).find((m) => m.id === sent.id)?.status === 'sent', 'sent')
    await sleep(300)
    // Her own post coming back from the broker is not shown a second time.
    const stored = await page(alice, room.conversationId)
    expect(stored.map((m) => [m.sender, m.direction, m.text])).toEqual([
      ['bob', 'in', 'the build is red'],
      ['coding_issues', 'in', 'just text, no name'],
      ['alice', 'out', 'on it'],
    ])
    expect(await alice.services.rooms.info(stored.map((m) => m.id))).toEqual([
      { id: stored[0]!.id, topic: 'team/coding_issues', retained: false },
      { id: stored[1]!.id, topic: 'team/coding_issues', retained: false },
    ])
  })

  it('a wildcard room at QoS 2 shows the topic of each message and cannot be posted to', async () => {
    const alice = await env.online('alice2')
    const room = await alice.services.rooms.join({ room: 'sensors/#', qos: 2 })
    expect(room).toMatchObject({ filter: 'sensors/#', qos: 2, wildcard: true })
    await sleep(100)
    const raw = await env.lab.client(env.broker.url)
    await new Promise<void>((r, j) => raw.publish('sensors/kitchen/temp', '21.5', { qos: 2 }, (e) => (e ? j(e) : r())))
    await new Promise<void>((r, j) => raw.publish('sensors/hall/door', 'carol (c1): door open', { qos: 2 }, (e) => (e ? j(e) : r())))
    await waitFor(() => roomMessages(alice, room.conversationId).length === 2, 'two sensor messages')
    expect(roomMessages(alice, room.conversationId).map((r) => [r.topic, r.message.sender, r.message.text])).toEqual([
      ['sensors/kitchen/temp', 'temp', '21.5'],
      ['sensors/hall/door', 'carol', 'door open'],
    ])
    await expect(alice.services.messages.send({ conversationId: room.conversationId, text: 'hi' })).rejects.toThrow(/"sensors\/#" is a topic filter/)
    await expect(alice.services.rooms.post({ topic: 'a/+', text: 'hi', qos: 1 })).rejects.toThrow(/"a\/\+" is a topic filter/)
  })

  it('a retained message shows once, marked, across rejoins and restarts', async () => {
    const raw = await env.lab.client(env.broker.url)
    await publish(raw, 'status/door', 'front door locked', { retain: true })
    const alice = await env.online('alice3')
    const room = await alice.services.rooms.join({ room: 'status/+', qos: 1 })
    await waitFor(() => roomMessages(alice, room.conversationId).length === 1, 'the retained message')
    expect(roomMessages(alice, room.conversationId)[0]).toMatchObject({ topic: 'status/door', retained: true, message: { sender: 'door', text: 'front door locked' } })

    // A reconnect (a restart) subscribes again and the broker sends it again: still shown once.
    await env.lab.close(alice)
    const again = await env.lab.open('alice3', undefined, alice.dataDir)
    await again.connected()
    expect((await again.services.rooms.list()).map((r) => r.filter)).toEqual(['status/+'])
    await publish(raw, 'status/window', 'window open') // live, not retained: the route is back
    await waitFor(() => roomMessages(again, room.conversationId).length === 1, 'the live message after the restart')
    await sleep(300)
    expect(roomMessages(again, room.conversationId)).toMatchObject([{ topic: 'status/window', retained: false }])
    expect((await page(again, room.conversationId)).map((m) => m.text)).toEqual(['front door locked', 'window open'])

    // A new retained value is new news, shown once.
    await publish(raw, 'status/door', 'front door open', { retain: true })
    await waitFor(() => roomMessages(again, room.conversationId).length === 2, 'the new value')
    expect(roomMessages(again, room.conversationId)[1]).toMatchObject({ retained: false, message: { text: 'front door open' } })
  })

  it('refuses $SYS, an empty filter, Parley\'s own namespace and malformed filters with clear errors', async () => {
    const alice = await env.online('alice4')
    const refusals: [string, RegExp][] = [
      ['$SYS/#', /\$SYS/],
      ['', /Enter a topic/],
      ['   ', /Enter a topic/],
      ['IMS/#', /Parley's own topics under IMS/],
      ['IMS/alice4/Inbox/Msg/+', /Parley's own topics/],
      ['#', /Parley's own topics/],
      ['a/#/b', /# may only/],
      ['a+/b', /\+ may only/],
      ['a b', /spaces/],
    ]
    for (const [filter, why] of refusals) await expect(alice.services.rooms.join({ room: filter, qos: 1 }), filter).rejects.toThrow(why)
    await expect(alice.services.rooms.join({ room: 'x', qos: 3 as 1 })).rejects.toThrow()
    await expect(alice.services.rooms.post({ topic: '$SYS/x', text: 'hi', qos: 0 })).rejects.toThrow(/\$SYS/)
    expect(await alice.services.rooms.list()).toEqual([])

    // Inbox traffic never shows as a room message: nothing may overlap the root, and the 1:1 path still works.
    const bob = await env.online('bob4')
    await alice.services.rooms.join({ room: 'open/+', qos: 1 })
    await bob.send('alice4', 'a direct message')
    await waitFor(() => alice.messages().some((m) => m.text === 'a direct message'), 'the direct message')
    expect(alice.of('roomMessage')).toEqual([])
  })

  it('drops 1 MB+ payloads, over-long text and text that is not UTF-8 with a logged reason; nothing crashes', async () => {
    const alice = await env.online('alice5')
    const room = await alice.services.rooms.join({ room: 'flood/x', qos: 1 })
    await sleep(100)
    const raw = await env.lab.client(env.broker.url)
    // 1 MB: our CONNECT's Maximum Packet Size (256 KB) keeps the broker from forwarding it at all.
    await publish(raw, 'flood/x', Buffer.alloc(1024 * 1024, 0x61))
    await publish(raw, 'flood/x', Buffer.alloc(100 * 1024, 0x62)) // arrives, but is longer than a message may be
    await publish(raw, 'flood/x', Buffer.from([0xff, 0xfe, 0x41]))
    await publish(raw, 'flood/x', 'dave (d): still here')
    await waitFor(() => roomMessages(alice, room.conversationId).length === 1, 'the good message')
    await sleep(200)
    expect(roomMessages(alice, room.conversationId).map((r) => r.message.text)).toEqual(['still here'])
    expect(alice.log.lines.join('\n')).toMatch(/dropped a room message: longer than a message may be/)
    expect(alice.log.lines.join('\n')).toMatch(/dropped a room message: not UTF-8 text/)
    expect(alice.status.state).toBe('connected')
  })

  it('joins once per filter, stores overlapping rooms\' copies once each, and leaving keeps the history', async () => {
    const alice = await env.online('alice6')
    const first = await alice.services.rooms.join({ room: 'lab/#', qos: 1 })
    const twice = await alice.services.rooms.join({ room: 'parley://room?topic=lab%2F%23&qos=1', qos: 0 })
    expect(twice).toEqual(first)
    const exact = await alice.services.rooms.join({ room: 'lab/bench', qos: 0 })
    await sleep(100)
    const raw = await env.lab.client(env.broker.url)
    await publish(raw, 'lab/bench', 'erin (e): one post')
    await waitFor(() => roomMessages(alice, exact.conversationId).length === 1 && roomMessages(alice, first.conversationId).length === 1, 'one copy in each room')
    await sleep(300)
    expect(alice.of('roomMessage')).toHaveLength(2)

    // A QoS change resubscribes (one subscription still): the list says the new QoS.
    expect(await alice.services.rooms.join({ room: 'lab/bench', qos: 2 })).toMatchObject({ qos: 2 })
    expect((await alice.services.rooms.list()).map((r) => [r.filter, r.qos])).toEqual([
      ['lab/#', 1],
      ['lab/bench', 2],
    ])

    await alice.services.rooms.leave('lab/#')
    await alice.services.rooms.leave('lab/bench')
    await expect(alice.services.rooms.leave('lab/bench')).rejects.toThrow(/not in the room/)
    await sleep(100)
    await publish(raw, 'lab/bench', 'erin (e): nobody listens')
    await sleep(400)
    expect(alice.of('roomMessage')).toHaveLength(2)
    expect((await page(alice, first.conversationId)).map((m) => m.text)).toEqual(['one post'])
    expect((await alice.services.conversations.list()).some((c) => c.id === first.conversationId)).toBe(true)
  })

  it('a random room has a code another account joins it with', async () => {
    const alice = await env.online('alice7')
    const bob = await env.online('bob7')
    const room = await alice.services.rooms.create(1)
    expect(room.filter).toMatch(/^parley\/rooms\/[0-9a-z]{12}$/)
    expect(room.code).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/)
    const joined = await bob.services.rooms.join({ room: room.code!, qos: 1 })
    expect(joined.filter).toBe(room.filter)
    await sleep(100)
    const post = await alice.services.rooms.post({ topic: room.filter, text: 'welcome', qos: 2 })
    expect(post).toMatchObject({ direction: 'out', status: 'sent', sender: 'alice7' })
    await waitFor(() => roomMessages(bob, joined.conversationId).length === 1, 'bob to get it')
    expect(roomMessages(bob, joined.conversationId)[0]!.message).toMatchObject({ sender: 'alice7', text: 'welcome' })
  })
})
