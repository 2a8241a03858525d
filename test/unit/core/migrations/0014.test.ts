import type Database from 'better-sqlite3'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { ALL_MIGRATIONS } from '../../../../src/main/core/features'
import { migration0014 } from '../../../../src/main/core/features/phone/migrations/0014_phone_matches'
import { PhoneMatchStore } from '../../../../src/main/core/features/phone/store'
import { applyOnly, columns, dbAt, indexes } from './helpers'

describe('migration 0014: phone matches', () => {
  let db: Database.Database

  beforeEach(() => {
    db = dbAt(13)
    applyOnly(db, 14)
  })
  afterEach(() => db.close())

  it('is version 14, declared by the phone feature, in the global order', () => {
    expect(migration0014.version).toBe(14)
    expect(ALL_MIGRATIONS[13]).toBe(migration0014)
  })

  it('holds E.164 numbers only, one row each, findable by user', () => {
    expect(columns(db, 'phone_matches')).toMatchObject({ number: { pk: 1 }, user: { notnull: 1 }, found_at: { notnull: 1 } })
    expect(indexes(db, 'phone_matches').map((i) => i.name)).toContain('phone_matches_by_user')
    const put = db.prepare(`INSERT INTO phone_matches (number, user, name, found_at) VALUES (?, 'bob', NULL, 1)`)
    put.run('+48601234567')
    expect(() => put.run('601234567')).toThrow(/CHECK constraint failed/)
    expect(() => put.run('+48601234567')).toThrow(/UNIQUE/)
  })

  it('a later discovery updates a match, keeps a known name, and forgets a number nobody has any more', () => {
    const store = new PhoneMatchStore(db)
    store.record([
      { number: '+48601234567', name: 'Bob', user: 'bob' },
      { number: '+48602345678', name: null, user: 'carol' },
      { number: '+48603456789', name: 'Nobody', user: null },
    ])
    store.record([
      { number: '+48601234567', name: null, user: 'bob2' },
      { number: '+48602345678', name: null, user: null },
    ])
    expect(store.all()).toEqual([{ number: '+48601234567', name: 'Bob', user: 'bob2' }])
  })
})
