import type Database from 'better-sqlite3'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { migration0001 } from '../../../../src/main/core/store/migrations/0001_conversations_and_messages'
import { applyOnly, columns, dbAt, indexes, tables } from './helpers'

describe('migration 0001: conversations and messages', () => {
  let db: Database.Database

  beforeEach(() => {
    db = dbAt(0)
    expect(tables(db)).toEqual([])
    applyOnly(db, 1)
  })
  afterEach(() => db.close())

  const conv = (id = 'dm:alice') =>
    db.prepare(`INSERT INTO conversations (id, kind, peer, title, updated_at, created_at) VALUES (?, 'dm', ?, ?, 1, 1)`).run(id, id.slice(3), id.slice(3))
  const msg = (over: Record<string, unknown> = {}) =>
    db
      .prepare(
        `INSERT INTO messages (id, conversation_id, sender, sender_device, direction, ts, seq, text, status, received_at)
         VALUES (@id, @conversation_id, @sender, NULL, @direction, @ts, NULL, @text, @status, 1)`,
      )
      .run({ id: 'm1', conversation_id: 'dm:alice', sender: 'alice', direction: 'in', ts: 10, text: 'hi', status: 'received', ...over })

  it('is version 1', () => {
    expect(migration0001.version).toBe(1)
    expect(migration0001.name).toMatch(/conversations/)
  })

  it('creates the conversations and messages tables with their columns', () => {
    expect(tables(db)).toEqual(['conversations', 'messages'])
    expect(Object.keys(columns(db, 'conversations')).sort()).toEqual(['created_at', 'id', 'kind', 'peer', 'title', 'unread', 'updated_at'])
    expect(columns(db, 'conversations').id!.pk).toBe(1)
    const m = columns(db, 'messages')
    expect(Object.keys(m).sort()).toEqual(
      ['conversation_id', 'direction', 'id', 'received_at', 'rowid', 'sender', 'sender_device', 'seq', 'status', 'text', 'ts'].sort(),
    )
    expect(m.rowid).toMatchObject({ type: 'INTEGER', pk: 1 })
    expect(m.sender_device!.notnull).toBe(0)
    expect(m.seq!.notnull).toBe(0)
    for (const c of ['id', 'conversation_id', 'sender', 'direction', 'ts', 'text', 'status', 'received_at']) expect(m[c]!.notnull).toBe(1)
  })

  it('indexes messages by conversation and keeps a partial outbox index', () => {
    const idx = indexes(db, 'messages')
    const byConv = idx.find((i) => i.name === 'messages_by_conversation')
    expect(byConv?.sql).toMatch(/\(conversation_id, ts, id\)/)
    const outbox = idx.find((i) => i.name === 'messages_outbox')
    expect(outbox?.partial).toBe(1)
    expect(outbox?.sql).toMatch(/WHERE status = 'pending'/)
    expect(idx.some((i) => i.unique === 1 && i.name.startsWith('sqlite_autoindex_messages'))).toBe(true)
    const plan = db.prepare(`EXPLAIN QUERY PLAN SELECT rowid FROM messages WHERE status = 'pending' ORDER BY rowid`).all() as { detail: string }[]
    expect(plan.map((p) => p.detail).join(' ')).toMatch(/messages_outbox/)
  })

  it('a duplicate message id is refused, and ignored with ON CONFLICT as the store writes it', () => {
    conv()
    msg()
    expect(() => msg({ text: 'again' })).toThrow(/UNIQUE constraint failed: messages.id/)
    const r = db
      .prepare(
        `INSERT INTO messages (id, conversation_id, sender, direction, ts, text, status, received_at)
         VALUES ('m1', 'dm:alice', 'alice', 'in', 11, 'again', 'received', 2) ON CONFLICT(id) DO NOTHING`,
      )
      .run()
    expect(r.changes).toBe(0)
    expect(db.prepare(`SELECT text FROM messages`).all()).toEqual([{ text: 'hi' }])
  })

  it('CHECK constraints refuse an unknown direction, status or kind', () => {
    conv()
    expect(() => msg({ id: 'm2', direction: 'x' })).toThrow(/CHECK constraint failed/)
    expect(() => msg({ id: 'm3', status: 'lost' })).toThrow(/CHECK constraint failed/)
    expect(() => db.prepare(`INSERT INTO conversations (id, kind, peer, title, updated_at, created_at) VALUES ('g:x', 'group', 'x', 'x', 1, 1)`).run()).toThrow(
      /CHECK constraint failed/,
    )
    for (const direction of ['in', 'out']) expect(msg({ id: `ok-${direction}`, direction }).changes).toBe(1)
  })

  it('a message must belong to an existing conversation (foreign key)', () => {
    expect(() => msg({ conversation_id: 'dm:nobody' })).toThrow(/FOREIGN KEY constraint failed/)
  })

  it('tables are STRICT: a text timestamp is refused', () => {
    conv()
    expect(() => msg({ ts: 'yesterday' })).toThrow(/cannot store TEXT value in INTEGER column/)
  })

  it('unread defaults to 0', () => {
    conv()
    expect(db.prepare(`SELECT unread FROM conversations`).get()).toEqual({ unread: 0 })
  })
})
