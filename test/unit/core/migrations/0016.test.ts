import type Database from 'better-sqlite3'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { ALL_MIGRATIONS } from '../../../../src/main/core/features'
import { migration0016 } from '../../../../src/main/core/features/rooms/migrations/0016_rooms'
import { applyOnly, columns, dbAt, tables } from './helpers'

describe('migration 0016: rooms', () => {
  let db: Database.Database

  beforeEach(() => {
    db = dbAt(15)
    applyOnly(db, 16)
  })
  afterEach(() => db.close())

  it('is version 16, declared by the rooms feature, in the global order', () => {
    expect(migration0016.version).toBe(16)
    expect(ALL_MIGRATIONS[15]).toBe(migration0016)
  })

  it('adds the rooms, where room messages came from and the retained payloads seen', () => {
    expect(tables(db)).toEqual(expect.arrayContaining(['rooms', 'room_messages', 'room_retained']))
    expect(columns(db, 'rooms')).toMatchObject({ filter: { pk: 1 }, qos: { notnull: 1 }, joined_at: { notnull: 1 } })
    expect(columns(db, 'room_messages')).toMatchObject({ id: { pk: 1 }, topic: { notnull: 1 }, retained: { notnull: 1 } })
    expect(columns(db, 'room_retained')).toMatchObject({ filter: { pk: 1 }, topic: { pk: 2 }, digest: { notnull: 1 } })
  })

  it('accepts only QoS 0, 1 and 2, a retained flag of 0 or 1, and one row per filter', () => {
    const room = db.prepare(`INSERT INTO rooms (filter, qos, joined_at) VALUES (?, ?, 1)`)
    room.run('sensors/#', 2)
    expect(() => room.run('a', 3)).toThrow(/CHECK constraint failed/)
    expect(() => room.run('sensors/#', 1)).toThrow(/UNIQUE|PRIMARY KEY/)
    expect(() => room.run('b', '1')).not.toThrow() // STRICT converts the text '1' losslessly
    expect(() => room.run('c', 'x')).toThrow(/cannot store TEXT value in INTEGER column|CHECK/)
    const msg = db.prepare(`INSERT INTO room_messages (id, topic, retained) VALUES (?, 'a/b', ?)`)
    msg.run('m1', 1)
    expect(() => msg.run('m2', 2)).toThrow(/CHECK constraint failed/)
  })
})
