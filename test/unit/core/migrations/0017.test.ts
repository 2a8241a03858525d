import type Database from 'better-sqlite3'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { ALL_MIGRATIONS } from '../../../../src/main/core/features'
import { migration0017 } from '../../../../src/main/core/features/broadcasts/migrations/0017_broadcast_regions'
import { RegionStore } from '../../../../src/main/core/features/broadcasts/store'
import { applyOnly, columns, dbAt, tables } from './helpers'

describe('migration 0017: broadcast regions', () => {
  let db: Database.Database

  beforeEach(() => {
    db = dbAt(16)
    expect(tables(db)).not.toContain('broadcast_regions')
    db.prepare(`INSERT INTO conversations (id, kind, peer, title, updated_at, created_at) VALUES ('system:eu', 'system', 'eu', 'eu', 1, 1)`).run()
    applyOnly(db, 17)
  })
  afterEach(() => db.close())

  it('is version 17, declared by the broadcasts feature, last in the global order', () => {
    expect(migration0017.version).toBe(17)
    expect(migration0017.name).toBe('broadcast_regions')
    expect(ALL_MIGRATIONS[16]).toBe(migration0017)
  })

  it('holds each followed region once, with strict types, and keeps existing data', () => {
    expect(columns(db, 'broadcast_regions')).toMatchObject({ region: { type: 'TEXT', pk: 1 }, since: { type: 'INTEGER', notnull: 1, pk: 0 } })
    expect(Object.keys(columns(db, 'broadcast_regions'))).toEqual(['region', 'since'])
    const put = db.prepare(`INSERT INTO broadcast_regions (region, since) VALUES (?, ?)`)
    put.run('eu', 1)
    expect(() => put.run('eu', 2)).toThrow(/UNIQUE constraint failed/)
    expect(() => put.run('us', 'now')).toThrow(/cannot store TEXT value in INTEGER column/)
    expect(() => put.run('', 1)).toThrow(/CHECK constraint failed/)
    expect(db.prepare(`SELECT id FROM conversations`).all()).toEqual([{ id: 'system:eu' }])
  })

  it('the store replaces the followed regions and says what changed', () => {
    const store = new RegionStore(db)
    expect(store.replace(['eu', 'us'], 5)).toEqual({ added: ['eu', 'us'], removed: [] })
    expect(store.replace(['us', 'asia'], 6)).toEqual({ added: ['asia'], removed: ['eu'] })
    expect(store.list()).toEqual(['asia', 'us'])
    expect(db.prepare(`SELECT region, since FROM broadcast_regions ORDER BY region`).all()).toEqual([
      { region: 'asia', since: 6 },
      { region: 'us', since: 5 },
    ])
  })
})
