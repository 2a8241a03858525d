import type Database from 'better-sqlite3'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { ALL_MIGRATIONS } from '../../../../src/main/core/features'
import { migration0011 } from '../../../../src/main/core/features/profiles/migrations/0011_profiles'
import { ProfileStore } from '../../../../src/main/core/features/profiles/store'
import { applyOnly, columns, dbAt } from './helpers'

describe('migration 0011: profiles cache', () => {
  let db: Database.Database

  beforeEach(() => {
    db = dbAt(10)
    applyOnly(db, 11)
  })
  afterEach(() => db.close())

  it('is version 11, declared by the profiles feature, in the global order', () => {
    expect(migration0011.version).toBe(11)
    expect(ALL_MIGRATIONS[10]).toBe(migration0011)
  })

  it('keeps one profile per user with its owner time; text columns only hold text', () => {
    expect(columns(db, 'profiles')).toMatchObject({ user: { pk: 1 }, ts: { notnull: 1 }, received_at: { notnull: 1 }, name: { notnull: 0 } })
    const put = db.prepare(`INSERT INTO profiles (user, name, ts, received_at) VALUES (?, ?, ?, 1)`)
    put.run('bob', 'Bob', 5)
    expect(() => put.run('bob', 'Bob again', 6)).toThrow(/UNIQUE/)
    expect(() => put.run('carol', Buffer.from('x'), 1)).toThrow(/cannot store BLOB value in TEXT column/)
    expect(() => db.prepare(`INSERT INTO profiles (user, ts, received_at) VALUES ('dave', 'soon', 1)`).run()).toThrow(/cannot store TEXT value in INTEGER column/)
  })

  it('a cleared profile keeps its time, so an older copy cannot bring it back', () => {
    const store = new ProfileStore(db)
    expect(store.get('bob')).toEqual({ user: 'bob', name: null, status: null, avatar: null, email: null, updatedAt: null })
    store.put('bob', { name: 'Bob', status: 'here', avatar: null, email: null }, 100)
    expect(store.name('bob')).toBe('Bob')
    expect(store.clear('bob')).toBe(true)
    expect(store.get('bob')).toEqual({ user: 'bob', name: null, status: null, avatar: null, email: null, updatedAt: 100 })
    expect(store.ts('bob')).toBe(100)
    expect(store.clear('nobody')).toBe(false)
  })
})
