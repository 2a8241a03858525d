import type Database from 'better-sqlite3'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { ALL_MIGRATIONS } from '../../../../src/main/core/features'
import { migration0006 } from '../../../../src/main/core/features/presence/migrations/0006_presence'
import { applyOnly, columns, dbAt, tables } from './helpers'

describe('migration 0006: presence', () => {
  let db: Database.Database

  beforeEach(() => {
    db = dbAt(5)
    expect(tables(db)).not.toContain('presence')
    db.prepare(`INSERT INTO conversations (id, kind, peer, title, updated_at, created_at) VALUES ('dm:a', 'dm', 'a', 'a', 1, 1)`).run()
    applyOnly(db, 6)
  })
  afterEach(() => db.close())

  const put = (user: string, device: string, state: string, lastSeen: unknown = null) =>
    db.prepare(`INSERT INTO presence (user, device, state, last_seen, updated_at) VALUES (?, ?, ?, ?, 1)`).run(user, device, state, lastSeen)

  it('is version 6, declared by the presence feature, in the global order', () => {
    expect(migration0006.version).toBe(6)
    expect(migration0006.name).toBe('presence')
    expect(ALL_MIGRATIONS[5]).toBe(migration0006)
  })

  it('adds the presence table and keeps existing data', () => {
    expect(tables(db)).toEqual(['conversations', 'counters', 'messages', 'outbox', 'prefs', 'presence'])
    const c = columns(db, 'presence')
    expect(Object.keys(c).sort()).toEqual(['device', 'last_seen', 'state', 'updated_at', 'user'])
    expect(c.user).toMatchObject({ notnull: 1, pk: 1 })
    expect(c.device).toMatchObject({ notnull: 1, pk: 2 })
    expect(c.last_seen!.notnull).toBe(0)
    expect(db.prepare(`SELECT id FROM conversations`).all()).toEqual([{ id: 'dm:a' }])
  })

  it('one row per (user, device)', () => {
    put('bob', 'd1', 'online')
    put('bob', 'd2', 'away', 5)
    expect(() => put('bob', 'd1', 'offline')).toThrow(/UNIQUE constraint failed: presence.user, presence.device/)
  })

  it('accepts the four states only, and is STRICT', () => {
    for (const state of ['online', 'away', 'dnd', 'offline']) expect(put('u', state, state).changes).toBe(1)
    expect(() => put('u', 'x', 'busy')).toThrow(/CHECK constraint failed/)
    expect(() => put('u', 'y', 'online', 'yesterday')).toThrow(/cannot store TEXT value in INTEGER column/)
  })
})
