import type Database from 'better-sqlite3'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { ALL_MIGRATIONS } from '../../../../src/main/core/features'
import { migration0013 } from '../../../../src/main/core/features/devices/migrations/0013_devices'
import { applyOnly, columns, dbAt, indexes, tables } from './helpers'

describe('migration 0013: devices', () => {
  let db: Database.Database

  beforeEach(() => {
    db = dbAt(12)
    expect(tables(db)).not.toContain('account_devices')
    db.prepare(`INSERT INTO conversations (id, kind, peer, title, updated_at, created_at) VALUES ('dm:a', 'dm', 'a', 'a', 1, 1)`).run()
    applyOnly(db, 13)
  })
  afterEach(() => db.close())

  it('is version 13, declared by the devices feature, in the global order', () => {
    expect(migration0013.version).toBe(13)
    expect(migration0013.name).toBe('devices')
    expect(ALL_MIGRATIONS[12]).toBe(migration0013)
  })

  it('adds my other devices (one row each) and the applied sync item ids, and keeps existing data', () => {
    const c = columns(db, 'account_devices')
    expect(Object.keys(c).sort()).toEqual(['cleared', 'id', 'linked_at', 'name', 'name_ts', 'removed_at', 'updated_at'])
    expect(c.id).toMatchObject({ pk: 1 })
    const put = db.prepare(`INSERT INTO account_devices (id, name, cleared, updated_at) VALUES (?, ?, ?, 1)`)
    put.run('b', 'Laptop', 1)
    expect(() => put.run('b', 'Again', 1)).toThrow(/UNIQUE constraint failed/)
    expect(() => put.run('c', 'Phone', 2)).toThrow(/CHECK constraint failed/)
    expect(() => db.prepare(`INSERT INTO account_devices (id, removed_at, updated_at) VALUES ('d', 'yesterday', 1)`).run()).toThrow(
      /cannot store TEXT value in INTEGER column/,
    )

    expect(Object.keys(columns(db, 'sync_seen')).sort()).toEqual(['at', 'id'])
    expect(indexes(db, 'sync_seen').map((i) => i.name)).toContain('sync_seen_by_time')
    const seen = db.prepare(`INSERT INTO sync_seen (id, at) VALUES (?, ?)`)
    seen.run('x', 1)
    expect(() => seen.run('x', 2)).toThrow(/UNIQUE constraint failed/)
    expect(db.prepare(`SELECT id FROM conversations`).all()).toEqual([{ id: 'dm:a' }])
  })
})
