import type Database from 'better-sqlite3'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { ALL_MIGRATIONS } from '../../../../src/main/core/features'
import { migration0007 } from '../../../../src/main/core/features/messages/migrations/0007_message_tombstones'
import { applyOnly, columns, dbAt, indexes, tables } from './helpers'

describe('migration 0007: message tombstones', () => {
  let db: Database.Database

  beforeEach(() => {
    db = dbAt(6)
    expect(tables(db)).not.toContain('message_tombstones')
    db.prepare(`INSERT INTO conversations (id, kind, peer, title, updated_at, created_at) VALUES ('dm:a', 'dm', 'a', 'a', 1, 1)`).run()
    applyOnly(db, 7)
  })
  afterEach(() => db.close())

  it('is version 7, declared by the messages feature, in the global order', () => {
    expect(migration0007.version).toBe(7)
    expect(migration0007.name).toBe('message tombstones')
    expect(ALL_MIGRATIONS[6]).toBe(migration0007)
  })

  it('adds the tombstone table (one row per id, findable by age) and keeps existing data', () => {
    expect(tables(db)).toContain('message_tombstones')
    const c = columns(db, 'message_tombstones')
    expect(Object.keys(c).sort()).toEqual(['conversation_id', 'deleted_at', 'id'])
    expect(c.id).toMatchObject({ notnull: 1, pk: 1 })
    expect(indexes(db, 'message_tombstones').map((i) => i.name)).toContain('message_tombstones_by_time')
    const put = db.prepare(`INSERT INTO message_tombstones (id, conversation_id, deleted_at) VALUES (?, 'dm:a', ?)`)
    put.run('m1', 1)
    expect(() => put.run('m1', 2)).toThrow(/UNIQUE constraint failed/)
    expect(() => put.run('m2', 'now')).toThrow(/cannot store TEXT value in INTEGER column/)
    expect(db.prepare(`SELECT id FROM conversations`).all()).toEqual([{ id: 'dm:a' }])
  })
})
