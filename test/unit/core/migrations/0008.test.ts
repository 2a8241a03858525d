import type Database from 'better-sqlite3'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { ALL_MIGRATIONS } from '../../../../src/main/core/features'
import { migration0008 } from '../../../../src/main/core/features/conversations/migrations/0008_conversation_folders'
import { applyOnly, columns, dbAt, indexes } from './helpers'

describe('migration 0008: conversation folders', () => {
  let db: Database.Database

  beforeEach(() => {
    db = dbAt(7)
    db.prepare(`INSERT INTO conversations (id, kind, peer, title, updated_at, created_at) VALUES ('dm:a', 'dm', 'a', 'a', 1, 1)`).run()
    applyOnly(db, 8)
  })
  afterEach(() => db.close())

  it('is version 8, declared by the conversations feature, in the global order', () => {
    expect(migration0008.version).toBe(8)
    expect(ALL_MIGRATIONS[7]).toBe(migration0008)
  })

  it('puts every existing conversation in the inbox and accepts only inbox or requests', () => {
    expect(columns(db, 'conversations').folder).toMatchObject({ notnull: 1 })
    expect(db.prepare(`SELECT id, folder FROM conversations`).all()).toEqual([{ id: 'dm:a', folder: 'inbox' }])
    expect(indexes(db, 'conversations').map((i) => i.name)).toContain('conversations_by_folder')
    const put = db.prepare(`INSERT INTO conversations (id, kind, peer, title, folder, updated_at, created_at) VALUES (?, 'dm', ?, ?, ?, 1, 1)`)
    put.run('dm:b', 'b', 'b', 'requests')
    expect(() => put.run('dm:c', 'c', 'c', 'spam')).toThrow(/CHECK constraint failed/)
  })
})
