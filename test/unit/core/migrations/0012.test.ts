import type Database from 'better-sqlite3'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { ALL_MIGRATIONS } from '../../../../src/main/core/features'
import { migration0012 } from '../../../../src/main/core/features/moments/migrations/0012_moments'
import { applyOnly, columns, dbAt, indexes, tables } from './helpers'

describe('migration 0012: moments and follows', () => {
  let db: Database.Database

  beforeEach(() => {
    db = dbAt(11)
    expect(tables(db)).not.toContain('moments')
    expect(tables(db)).not.toContain('follows')
    db.prepare(`INSERT INTO conversations (id, kind, peer, title, updated_at, created_at) VALUES ('dm:bob', 'dm', 'bob', 'bob', 1, 1)`).run()
    applyOnly(db, 12)
  })
  afterEach(() => db.close())

  it('is version 12, declared by the moments feature, in the global order', () => {
    expect(migration0012.version).toBe(12)
    expect(migration0012.name).toBe('moments and follows')
    expect(ALL_MIGRATIONS[11]).toBe(migration0012)
  })

  it('adds the moments table: one row per id, a known status, paged newest first by (ts, id)', () => {
    expect(Object.keys(columns(db, 'moments')).sort()).toEqual(['author', 'id', 'mine', 'received_at', 'status', 'text', 'ts'])
    expect(columns(db, 'moments').id).toMatchObject({ pk: 1 })
    expect(indexes(db, 'moments').find((i) => i.name === 'moments_by_time')?.sql).toContain('(ts DESC, id DESC)')
    const put = db.prepare(`INSERT INTO moments (id, author, text, ts, mine, status, received_at) VALUES (?, 'bob', 'hi', ?, 0, ?, 1)`)
    put.run('m1', 1, 'received')
    expect(() => put.run('m1', 2, 'received')).toThrow(/UNIQUE constraint failed/)
    expect(() => put.run('m2', 'soon', 'received')).toThrow(/cannot store TEXT value in INTEGER column/)
    expect(() => put.run('m3', 3, 'lost')).toThrow(/CHECK constraint failed/)
    const plan = db
      .prepare(`EXPLAIN QUERY PLAN SELECT id FROM moments WHERE mine = 1 AND (ts < 5 OR (ts = 5 AND id < 'x')) ORDER BY ts DESC, id DESC LIMIT 30`)
      .all() as { detail: string }[]
    expect(plan.map((p) => p.detail).join(' ')).not.toContain('TEMP B-TREE')
  })

  it('adds the follows table: one choice per person, on or off', () => {
    expect(Object.keys(columns(db, 'follows')).sort()).toEqual(['following', 'updated_at', 'user'])
    const put = db.prepare(`INSERT INTO follows (user, following, updated_at) VALUES (?, ?, 1)`)
    put.run('bob', 0)
    expect(() => put.run('bob', 1)).toThrow(/UNIQUE constraint failed/)
    expect(() => put.run('carol', 2)).toThrow(/CHECK constraint failed/)
    expect(db.prepare(`SELECT id FROM conversations`).all()).toEqual([{ id: 'dm:bob' }])
  })
})
