import type Database from 'better-sqlite3'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { migration0005 } from '../../../../src/main/core/features/messages/migrations/0005_message_statuses'
import { applyOnly, columns, dbAt, indexes, tables } from './helpers'

describe('migration 0005: message statuses', () => {
  let db: Database.Database
  let before: unknown[]

  const insert = (id: string, status: string, direction = 'out', conversationId = 'dm:alice') =>
    db
      .prepare(
        `INSERT INTO messages (id, conversation_id, sender, sender_device, direction, ts, seq, text, status, received_at)
         VALUES (?, ?, 'me', 'dev', ?, 7, 3, 'hello', ?, 9)`,
      )
      .run(id, conversationId, direction, status)

  beforeEach(() => {
    db = dbAt(4)
    db.prepare(`INSERT INTO conversations (id, kind, peer, title, updated_at, created_at) VALUES ('dm:alice', 'dm', 'alice', 'alice', 1, 1)`).run()
    insert('p1', 'pending')
    insert('s1', 'sent')
    insert('r1', 'received', 'in')
    db.prepare(`DELETE FROM messages WHERE id = 's1'`).run() // a gap in the rowids, which must survive
    insert('s2', 'sent')
    before = db.prepare(`SELECT rowid, * FROM messages ORDER BY rowid`).all()
    applyOnly(db, 5)
  })
  afterEach(() => db.close())

  it('is version 5, declared by the messages feature', () => {
    expect(migration0005.version).toBe(5)
    expect(migration0005.name).toBe('message statuses')
  })

  it('keeps every row as it was (rowids too), with no error', () => {
    const after = db.prepare(`SELECT rowid, * FROM messages ORDER BY rowid`).all() as Record<string, unknown>[]
    expect(after.map(({ error, ...rest }) => (expect(error).toBeNull(), rest))).toEqual(before)
    expect(after.map((r) => r.rowid)).toEqual([1, 3, 4])
    expect(db.pragma('foreign_key_check')).toEqual([])
  })

  it('adds a nullable error column and keeps the others', () => {
    const c = columns(db, 'messages')
    expect(Object.keys(c).sort()).toEqual(
      ['conversation_id', 'direction', 'error', 'id', 'received_at', 'rowid', 'sender', 'sender_device', 'seq', 'status', 'text', 'ts'].sort(),
    )
    expect(c.error).toMatchObject({ type: 'TEXT', notnull: 0 })
    expect(tables(db)).not.toContain('messages_new')
  })

  it('accepts the new statuses and still refuses an unknown one', () => {
    for (const status of ['delivered', 'read', 'failed', 'seen']) expect(insert(`n-${status}`, status).changes).toBe(1)
    expect(() => insert('x1', 'lost')).toThrow(/CHECK constraint failed/)
    expect(() => insert('x2', 'Delivered')).toThrow(/CHECK constraint failed/)
    expect(() => db.prepare(`UPDATE messages SET status = 'archived' WHERE id = 'p1'`).run()).toThrow(/CHECK constraint failed/)
    expect(db.prepare(`UPDATE messages SET status = 'failed', error = 'refused' WHERE id = 'p1'`).run().changes).toBe(1)
  })

  it('keeps the unique id, the direction check and the foreign key', () => {
    expect(() => insert('p1', 'pending')).toThrow(/UNIQUE constraint failed: messages.id/)
    expect(() => insert('d1', 'sent', 'sideways')).toThrow(/CHECK constraint failed/)
    expect(() => insert('f1', 'sent', 'out', 'dm:nobody')).toThrow(/FOREIGN KEY constraint failed/)
    const fks = db.pragma('foreign_key_list(messages)') as { table: string }[]
    expect(fks.map((f) => f.table)).toEqual(['conversations'])
  })

  it('drops the old outbox index and indexes unseen and awaiting-receipt messages', () => {
    const idx = indexes(db, 'messages')
    expect(idx.map((i) => i.name)).not.toContain('messages_outbox')
    expect(idx.find((i) => i.name === 'messages_by_conversation')?.sql).toMatch(/\(conversation_id, ts, id\)/)
    expect(idx.find((i) => i.name === 'messages_unseen')).toMatchObject({ partial: 1, sql: expect.stringMatching(/WHERE status = 'received'/) })
    expect(idx.find((i) => i.name === 'messages_awaiting_receipt')).toMatchObject({ partial: 1, sql: expect.stringMatching(/status IN \('sent', 'delivered'\)/) })
  })
})
