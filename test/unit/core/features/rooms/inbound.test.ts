/**
 * The room receive path's reading of packets, without a broker: what the payload
 * size limit, the seed format, my own echo and retained copies do. (Over a real
 * Mosquitto in test/integration/rooms.test.ts.)
 */
import Database from 'better-sqlite3'
import type { IPublishPacket } from 'mqtt'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { RoomInbound } from '../../../../../src/main/core/features/rooms/inbound'
import { migration0016 } from '../../../../../src/main/core/features/rooms/migrations/0016_rooms'
import { RoomStore } from '../../../../../src/main/core/features/rooms/store'
import { MemoryLog } from '../../../../helpers/memory-log'

const account = { user: 'alice', root: 'IMS', deviceId: 'dev-a' }
const packet = (topic: string, payload: string | Buffer, retain = false): IPublishPacket =>
  ({ cmd: 'publish', topic, payload: typeof payload === 'string' ? Buffer.from(payload) : payload, qos: 1, dup: false, retain }) as IPublishPacket

describe('reading room packets', () => {
  let db: Database.Database
  let log: MemoryLog
  let inbound: RoomInbound

  beforeEach(() => {
    db = new Database(':memory:')
    migration0016.up(db)
    log = new MemoryLog('t')
    inbound = new RoomInbound(new RoomStore(db), log)
  })
  afterEach(() => db.close())

  it('drops a payload of 1 MB or more with a logged reason', () => {
    expect(inbound.read(account, ['big/#'], [packet('big/x', Buffer.alloc(1024 * 1024, 0x61))])).toEqual([])
    expect(log.lines.join('\n')).toMatch(/dropped a room message: 1 MB or more .*"bytes":1048576/)
  })

  it('names the seed sender, skips my own post coming back, and keeps someone else using my name', () => {
    const got = inbound.read(account, ['t/#'], [
      packet('t/a', 'bob (b1): hi'),
      packet('t/a', 'alice (dev-a): mine, already stored'),
      packet('t/a', 'alice (other): not my device'),
    ])
    expect(got.map((a) => [a.message.sender, a.message.text, a.message.conversationId])).toEqual([
      ['bob', 'hi', 'room:t/#'],
      ['alice', 'not my device', 'room:t/#'],
    ])
  })

  it('messages of one batch share its time and get ids in their order of arrival (the history orders ties by id)', () => {
    const got = inbound.read(account, ['q/#'], Array.from({ length: 30 }, (_, i) => packet('q/a', `bob (b1): number ${i}`)))
    expect(new Set(got.map((a) => a.message.ts)).size).toBe(1)
    const ids = got.map((a) => a.message.id)
    expect([...ids].sort()).toEqual(ids)
    expect(got.map((a) => a.message.text)).toEqual(Array.from({ length: 30 }, (_, i) => `number ${i}`))
  })

  it('shows a retained message once per room, and a changed one again', () => {
    const first = inbound.read(account, ['s/+'], [packet('s/door', 'locked', true)])
    expect(first).toMatchObject([{ topic: 's/door', retained: true }])
    expect(inbound.read(account, ['s/+'], [packet('s/door', 'locked', true)])).toEqual([])
    expect(inbound.read(account, ['s/+'], [packet('s/door', 'open', true)])).toHaveLength(1)
  })

  it('puts a message in every room whose filter matches, and the second copy of an overlap nowhere', () => {
    const got = inbound.read(account, ['x/#', 'x/y', 'z'], [packet('x/y', 'p'), packet('x/y', 'p')])
    expect(got.map((a) => a.message.conversationId)).toEqual(['room:x/#', 'room:x/y'])
  })
})
