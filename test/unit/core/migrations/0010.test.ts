import type Database from 'better-sqlite3'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { ALL_MIGRATIONS } from '../../../../src/main/core/features'
import { migration0010 } from '../../../../src/main/core/features/blocking/migrations/0010_blocks'
import { applyOnly, columns, dbAt, tables } from './helpers'

describe('migration 0010: blocks', () => {
  let db: Database.Database

  beforeEach(() => {
    db = dbAt(9)
    expect(tables(db)).not.toContain('blocks')
    db.prepare(`INSERT INTO conversations (id, kind, peer, title, updated_at, created_at) VALUES ('dm:carol', 'dm', 'carol', 'carol', 1, 1)`).run()
    applyOnly(db, 10)
  })
  afterEach(() => db.close())

  it('is version 10, declared by the blocking feature, in the global order', () => {
    expect(migration0010.version).toBe(10)
    expect(migration0010.name).toBe('blocks')
    expect(ALL_MIGRATIONS[9]).toBe(migration0010)
  })

  it('adds the blocks table (one row per person, strict types, an end after its start) and keeps existing data', () => {
    const c = columns(db, 'blocks')
    expect(Object.keys(c).sort()).toEqual(['ended_at', 'notified', 'since', 'user'])
    expect(c.user).toMatchObject({ pk: 1 })
    expect(c.since).toMatchObject({ notnull: 1, type: 'INTEGER' })
    const put = db.prepare(`INSERT INTO blocks (user, since, notified) VALUES (?, ?, ?)`)
    put.run('carol', 1, 1)
    expect(() => put.run('carol', 2, 0)).toThrow(/UNIQUE constraint failed/)
    expect(() => put.run('dave', 'now', 0)).toThrow(/cannot store TEXT value in INTEGER column/)
    expect(() => put.run('erin', 1, 2)).toThrow(/CHECK constraint failed/)
    // A lifted block ends after it began.
    const end = db.prepare(`UPDATE blocks SET ended_at = ? WHERE user = 'carol'`)
    expect(() => end.run(0)).toThrow(/CHECK constraint failed/)
    end.run(5)
    expect(db.prepare(`SELECT user, since, notified, ended_at FROM blocks`).all()).toEqual([{ user: 'carol', since: 1, notified: 1, ended_at: 5 }])
    expect(db.prepare(`SELECT id FROM conversations`).all()).toEqual([{ id: 'dm:carol' }])
  })
})
