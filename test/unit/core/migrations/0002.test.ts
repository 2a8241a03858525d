import type Database from 'better-sqlite3'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { migration0002 } from '../../../../src/main/core/store/migrations/0002_counters'
import { applyOnly, columns, dbAt, tables } from './helpers'

describe('migration 0002: counters', () => {
  let db: Database.Database

  beforeEach(() => {
    db = dbAt(1)
    expect(tables(db)).not.toContain('counters')
    db.prepare(`INSERT INTO conversations (id, kind, peer, title, updated_at, created_at) VALUES ('dm:a', 'dm', 'a', 'a', 1, 1)`).run()
    applyOnly(db, 2)
  })
  afterEach(() => db.close())

  it('is version 2', () => {
    expect(migration0002.version).toBe(2)
  })

  it('adds the counters table and keeps existing data', () => {
    expect(tables(db)).toEqual(['conversations', 'counters', 'messages'])
    const c = columns(db, 'counters')
    expect(Object.keys(c).sort()).toEqual(['name', 'value'])
    expect(c.name).toMatchObject({ type: 'TEXT', pk: 1 })
    expect(c.value).toMatchObject({ type: 'INTEGER', notnull: 1 })
    expect(db.prepare(`SELECT id FROM conversations`).all()).toEqual([{ id: 'dm:a' }])
  })

  it('a counter is unique by name and counts up with an upsert', () => {
    const next = db.prepare(`INSERT INTO counters (name, value) VALUES (?, 1) ON CONFLICT(name) DO UPDATE SET value = value + 1 RETURNING value`)
    expect(next.get('out')).toEqual({ value: 1 })
    expect(next.get('out')).toEqual({ value: 2 })
    expect(next.get('other')).toEqual({ value: 1 })
    expect(() => db.prepare(`INSERT INTO counters (name, value) VALUES ('out', 5)`).run()).toThrow(/UNIQUE|PRIMARY KEY/)
  })

  it('is STRICT and needs a value', () => {
    expect(() => db.prepare(`INSERT INTO counters (name, value) VALUES ('x', 'many')`).run()).toThrow(/cannot store TEXT value/)
    expect(() => db.prepare(`INSERT INTO counters (name) VALUES ('y')`).run()).toThrow(/NOT NULL/)
  })
})
