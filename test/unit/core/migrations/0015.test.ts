import type Database from 'better-sqlite3'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { ALL_MIGRATIONS } from '../../../../src/main/core/features'
import { migration0015 } from '../../../../src/main/core/features/groups/migrations/0015_groups'
import { applyOnly, columns, dbAt, tables } from './helpers'

describe('migration 0015: groups', () => {
  let db: Database.Database

  beforeEach(() => {
    db = dbAt(14)
    applyOnly(db, 15)
  })
  afterEach(() => db.close())

  it('is version 15, declared by the groups feature, in the global order', () => {
    expect(migration0015.version).toBe(15)
    expect(ALL_MIGRATIONS[14]).toBe(migration0015)
  })

  it('adds strict tables for groups, who sent each group message, and receipts per member', () => {
    expect(tables(db)).toEqual(expect.arrayContaining(['groups', 'group_messages', 'group_receipts']))
    expect(columns(db, 'groups')).toMatchObject({
      id: { type: 'TEXT', pk: 1 },
      version: { type: 'INTEGER', notnull: 1 },
      members: { type: 'TEXT', notnull: 1 },
      membership: { type: 'TEXT', notnull: 1 },
      muted: { type: 'INTEGER', notnull: 1 },
    })
    expect(columns(db, 'group_receipts')).toMatchObject({ message_id: { pk: 1 }, member: { pk: 2 } })
    for (const t of ['groups', 'group_messages', 'group_receipts']) {
      const sql = (db.prepare(`SELECT sql FROM sqlite_master WHERE name = ?`).get(t) as { sql: string }).sql
      expect(sql).toMatch(/STRICT/)
    }
  })

  it('refuses unknown memberships, negative versions and receipts that are neither delivered nor read', () => {
    const put = db.prepare(`INSERT INTO groups (id, name, version, members, membership, updated_at) VALUES (?, 'G', ?, '[]', ?, 1)`)
    put.run('grp_a', 0, 'checking')
    put.run('grp_b', 3, 'member')
    expect(() => put.run('grp_c', 1, 'owner')).toThrow(/CHECK constraint failed/)
    expect(() => put.run('grp_d', -1, 'member')).toThrow(/CHECK constraint failed/)
    expect(() => put.run('grp_a', 1, 'member')).toThrow(/UNIQUE|PRIMARY KEY/)
    const rcpt = db.prepare(`INSERT INTO group_receipts (message_id, member, read) VALUES (?, ?, ?)`)
    rcpt.run('m1', 'bob', 0)
    expect(() => rcpt.run('m1', 'carol', 2)).toThrow(/CHECK constraint failed/)
    expect(() => rcpt.run('m1', 'bob', 1)).toThrow(/UNIQUE|PRIMARY KEY/)
    expect(() => db.prepare(`INSERT INTO groups (id, name, version, members, membership, updated_at) VALUES ('x', 'G', 'one', '[]', 'member', 1)`).run()).toThrow(
      /cannot store TEXT/,
    )
  })
})
