import { describe, expect, it } from 'vitest'
import { ConversationIdSchema } from '../../../../src/shared/protocol/conversation-id'
import {
  formatRoomPost,
  parseRoomPost,
  randomRoomTopic,
  readRoomInput,
  roomCode,
  roomFilterProblem,
  roomLink,
} from '../../../../src/shared/protocol/rooms'

describe('room filters', () => {
  it('accepts topics and filters outside Parley\'s root', () => {
    for (const f of ['team/coding_issues', 'sensors/#', 'sensors/+/temperature', 'a', 'ünï/cödé', 'parley/rooms/abc']) {
      expect(roomFilterProblem(f, 'IMS'), f).toBeNull()
    }
  })

  it('refuses $ topics, empty filters, Parley\'s namespace and malformed wildcards, each with a reason', () => {
    expect(roomFilterProblem('', 'IMS')).toMatch(/Enter a topic/)
    expect(roomFilterProblem('$SYS/#', 'IMS')).toMatch(/\$SYS/)
    expect(roomFilterProblem('$share/g/x', 'IMS')).toMatch(/broker/)
    expect(roomFilterProblem('IMS/#', 'IMS')).toMatch(/Parley's own topics under IMS/)
    expect(roomFilterProblem('IMS/bob/Inbox/Msg/+', 'IMS')).toMatch(/Parley's own/)
    expect(roomFilterProblem('#', 'IMS')).toMatch(/Parley's own/)
    expect(roomFilterProblem('+/x', 'IMS')).toMatch(/Parley's own/)
    expect(roomFilterProblem('a/#/b', 'IMS')).toMatch(/# may only/)
    expect(roomFilterProblem('a/b#', 'IMS')).toMatch(/# may only/)
    expect(roomFilterProblem('a/b+/c', 'IMS')).toMatch(/\+ may only/)
    expect(roomFilterProblem('team chat', 'IMS')).toMatch(/spaces/)
    expect(roomFilterProblem('a\u0000b', 'IMS')).toMatch(/control/)
    expect(roomFilterProblem('x'.repeat(257), 'IMS')).toMatch(/at most 256/)
  })

  it('wants a concrete topic to post on', () => {
    expect(roomFilterProblem('a/+', 'IMS', true)).toMatch(/"a\/\+" is a topic filter/)
    expect(roomFilterProblem('a/#', 'IMS', true)).toMatch(/topic filter/)
    expect(roomFilterProblem('a/b', 'IMS', true)).toBeNull()
  })

  it('is a conversation id as room:{filter}, wildcards included', () => {
    expect(ConversationIdSchema.safeParse('room:sensors/#').success).toBe(true)
    expect(ConversationIdSchema.safeParse('room:sensors/+/t').success).toBe(true)
    expect(ConversationIdSchema.safeParse('room:a b').success).toBe(false)
    expect(ConversationIdSchema.safeParse('dm:a+b').success).toBe(false)
  })
})

describe('room posts (seed 004: "username (client_id): message")', () => {
  it('reads the sender from the seed format', () => {
    expect(parseRoomPost('team/x', 'bob (py-42): hello: world')).toEqual({ sender: 'bob', clientId: 'py-42', text: 'hello: world' })
    expect(parseRoomPost('team/x', 'Bob Smith (): hi')).toEqual({ sender: 'Bob Smith', clientId: '', text: 'hi' })
  })

  it('otherwise takes the topic\'s last level, else "unknown"', () => {
    expect(parseRoomPost('sensors/kitchen/temp', '21.5')).toEqual({ sender: 'temp', clientId: null, text: '21.5' })
    expect(parseRoomPost('sensors/', 'x')).toEqual({ sender: 'unknown', clientId: null, text: 'x' })
    expect(parseRoomPost('a', '(no name): x').sender).toBe('a')
  })

  it('cuts hostile sender names: no bidi overrides or control characters, at most 64 characters', () => {
    expect(parseRoomPost('t', '\u202eevil\u202c (c): x').sender).toBe('evil')
    expect(parseRoomPost('t', `${'n'.repeat(150)} (c): x`).sender).toHaveLength(64)
  })

  it('writes what a paho client of the seed prints, with the device id', () => {
    expect(formatRoomPost('alice', 'dev-1', 'hi there')).toBe('alice (dev-1): hi there')
    expect(parseRoomPost('t', formatRoomPost('alice', 'dev-1', 'a (b): c'))).toEqual({ sender: 'alice', clientId: 'dev-1', text: 'a (b): c' })
  })
})

describe('sharing a room', () => {
  it('a random room has a short code that joins it again', () => {
    const topic = randomRoomTopic((n) => new Uint8Array(n).map((_, i) => i * 7))
    expect(topic).toMatch(/^parley\/rooms\/[0-9a-z]{12}$/)
    const code = roomCode(topic)!
    expect(code).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/)
    expect(readRoomInput(code, 2)).toEqual({ filter: topic, qos: 2 })
    expect(readRoomInput(code.toLowerCase(), 1)).toEqual({ filter: topic, qos: 1 })
    expect(roomCode('team/x')).toBeNull()
  })

  it('a parley://room link carries the topic and the QoS', () => {
    const link = roomLink('sensors/#', 2)
    expect(link).toBe('parley://room?topic=sensors%2F%23&qos=2')
    expect(readRoomInput(link, 0)).toEqual({ filter: 'sensors/#', qos: 2 })
    expect(readRoomInput('parley://room?topic=a%2Fb&qos=7', 1)).toEqual({ filter: 'a/b', qos: 1 })
    expect(readRoomInput('  team/x ', 0)).toEqual({ filter: 'team/x', qos: 0 })
  })
})
