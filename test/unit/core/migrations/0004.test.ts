import type Database from 'better-sqlite3'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { migration0004 } from '../../../../src/main/core/features/conversations/migrations/0004_conversation_kinds'
import { applyOnly, columns, dbAt, indexes, tables } from './helpers'

const conv = (db: Database.Database, id: string, kind = 'dm') =>
  db.prepare(`INSERT INTO conversations (id, kind, peer, title, unread, updated_at, created_at) VALUES (?, ?, ?, ?, 2, 10, 5)`).run(id, kind, id.slice(id.indexOf(':') + 1), id)
const msg = (db: Database.Database, id: string, conversationId: string) =>
  db
    .prepare(`INSERT INTO messages (id, conversation_id, sender, direction, ts, text, status, received_at) VALUES (?, ?, 'x', 'in', 1, 'hi', 'received', 1)`)
    .run(id, conversationId)

it('migration 0004 is version 4, declared by the conversations feature', () => {
  expect(migration0004.version).toBe(4)
  expect(migration0004.name).toBe('conversation kinds')
})

describe('migration 0004: conversation kinds', () => {
  let db: Database.Database
  afterEach(() => db.close())

  // history.db is opened with foreign_keys = ON (as dbAt does), and an existing user's
  // history has messages that refer to their conversations: the rebuild must keep them.
  it('keeps existing conversations and messages, with every foreign key still valid', () => {
    db = dbAt(3)
    conv(db, 'dm:alice')
    conv(db, 'dm:bob')
    msg(db, 'm1', 'dm:alice')
    msg(db, 'm2', 'dm:alice')
    msg(db, 'm3', 'dm:bob')
    const conversations = db.prepare(`SELECT * FROM conversations ORDER BY id`).all()
    const messages = db.prepare(`SELECT * FROM messages ORDER BY rowid`).all()
    applyOnly(db, 4)
    expect(db.prepare(`SELECT * FROM conversations ORDER BY id`).all()).toEqual(conversations)
    expect(db.prepare(`SELECT * FROM messages ORDER BY rowid`).all()).toEqual(messages)
    expect(db.pragma('foreign_key_check')).toEqual([])
    expect(() => msg(db, 'm4', 'dm:nobody')).toThrow(/FOREIGN KEY constraint failed/)
  })

  describe('on a history without messages', () => {
    beforeEach(() => {
      db = dbAt(3)
      conv(db, 'dm:alice')
      applyOnly(db, 4)
    })

    it('keeps the conversations, their columns and the messages foreign key', () => {
      expect(tables(db)).toEqual(['conversations', 'counters', 'messages', 'outbox', 'prefs'])
      expect(db.prepare(`SELECT id, kind, peer, title, unread, updated_at, created_at FROM conversations`).all()).toEqual([
        { id: 'dm:alice', kind: 'dm', peer: 'alice', title: 'dm:alice', unread: 2, updated_at: 10, created_at: 5 },
      ])
      expect(Object.keys(columns(db, 'conversations')).sort()).toEqual(['created_at', 'id', 'kind', 'peer', 'title', 'unread', 'updated_at'])
      expect(columns(db, 'conversations').id!.pk).toBe(1)
      const fks = db.pragma('foreign_key_list(messages)') as { table: string; from: string; to: string }[]
      expect(fks.map((f) => [f.table, f.from, f.to])).toEqual([['conversations', 'conversation_id', 'id']])
      expect(db.pragma('foreign_key_check')).toEqual([])
    })

    it('accepts every kind and refuses an unknown one', () => {
      for (const [id, kind] of [
        ['group:team', 'group'],
        ['room:team/coding_issues', 'room'],
        ['system:eu', 'system'],
      ]) {
        expect(conv(db, id!, kind).changes).toBe(1)
      }
      expect(() => conv(db, 'chan:x', 'chan')).toThrow(/CHECK constraint failed/)
      expect(msg(db, 'g1', 'group:team').changes).toBe(1)
    })

    it('indexes conversations by kind and peer, and stays STRICT', () => {
      const idx = indexes(db, 'conversations').find((i) => i.name === 'conversations_by_kind')
      expect(idx?.sql).toMatch(/\(kind, peer\)/)
      expect(() => db.prepare(`INSERT INTO conversations (id, kind, peer, title, updated_at, created_at) VALUES ('dm:x', 'dm', 'x', 'x', 'now', 1)`).run()).toThrow(
        /cannot store TEXT value in INTEGER column/,
      )
    })

    it('leaves no temporary table behind', () => {
      expect(tables(db)).not.toContain('conversations_new')
      expect(db.prepare(`SELECT sql FROM sqlite_master WHERE name = 'conversations'`).get()).toEqual({ sql: expect.stringMatching(/^CREATE TABLE "?conversations"?/) })
    })
  })
})
