import type Database from 'better-sqlite3'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { ALL_MIGRATIONS } from '../../../../src/main/core/features'
import { migration0009 } from '../../../../src/main/core/features/contacts/migrations/0009_contacts'
import { applyOnly, columns, dbAt, indexes, tables } from './helpers'

describe('migration 0009: contacts', () => {
  let db: Database.Database

  beforeEach(() => {
    db = dbAt(8)
    applyOnly(db, 9)
  })
  afterEach(() => db.close())

  it('is version 9, declared by the contacts feature, in the global order', () => {
    expect(migration0009.version).toBe(9)
    expect(ALL_MIGRATIONS[8]).toBe(migration0009)
  })

  it('adds a strict contacts table keyed by user, with indexes for states and expiry', () => {
    expect(tables(db)).toContain('contacts')
    expect(columns(db, 'contacts')).toMatchObject({
      user: { type: 'TEXT', pk: 1 },
      state: { type: 'TEXT', notnull: 1 },
      since: { type: 'INTEGER', notnull: 1 },
      expires_at: { type: 'INTEGER', notnull: 0 },
    })
    expect(indexes(db, 'contacts').map((i) => i.name)).toEqual(expect.arrayContaining(['contacts_by_state', 'contacts_by_expiry']))
    const sql = (db.prepare(`SELECT sql FROM sqlite_master WHERE name = 'contacts'`).get() as { sql: string }).sql
    expect(sql).toMatch(/STRICT/)
  })

  it('refuses unknown states, a contact that expires and a pending request that never does', () => {
    const put = db.prepare(`INSERT INTO contacts (user, state, since, expires_at, delivery) VALUES (?, ?, 1, ?, ?)`)
    put.run('a', 'contact', null, null)
    put.run('b', 'incoming', 5, null)
    put.run('c', 'outgoing', 5, 'queued')
    put.run('d', 'declined', 5, null)
    expect(() => put.run('e', 'friend', 5, null)).toThrow(/CHECK constraint failed/)
    expect(() => put.run('f', 'contact', 5, null)).toThrow(/CHECK constraint failed/)
    expect(() => put.run('g', 'incoming', null, null)).toThrow(/CHECK constraint failed/)
    expect(() => put.run('h', 'outgoing', 5, 'lost')).toThrow(/CHECK constraint failed/)
    expect(() => put.run('a', 'incoming', 5, null)).toThrow(/UNIQUE|PRIMARY KEY/)
    expect(() => db.prepare(`INSERT INTO contacts (user, state, since) VALUES ('x', 'contact', 'yesterday')`).run()).toThrow(/cannot store TEXT/)
  })
})
