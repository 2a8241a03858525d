import type Database from 'better-sqlite3'
import { afterEach, describe, expect, it } from 'vitest'
import { ALL_MIGRATIONS } from '../../../../src/main/core/features'
import { migration0018 } from '../../../../src/main/core/features/messages/migrations/0018_message_time_keys'
import { MESSAGE_KEY_SLOTS } from '../../../../src/main/core/features/messages/time-key'
import { applyOnly, dbAt } from './helpers'

describe('migration 0018: message time keys', () => {
  let db: Database.Database
  afterEach(() => db.close())

  const put = (id: string, ts: number, text: string): void => {
    db.prepare(
      `INSERT INTO messages (id, conversation_id, sender, direction, ts, text, status, received_at) VALUES (?, 'dm:bob', 'bob', 'in', ?, ?, 'received', 1)`,
    ).run(id, ts, text)
  }

  it('is version 18, declared by the messages feature, in the global order', () => {
    db = dbAt(0)
    expect(migration0018.version).toBe(18)
    expect(ALL_MIGRATIONS[17]).toBe(migration0018)
  })

  it('renumbers rowids in time order (ts, then id), keeping every row and column as it was', () => {
    db = dbAt(17)
    db.prepare(`INSERT INTO conversations (id, kind, peer, title, updated_at, created_at) VALUES ('dm:bob', 'dm', 'bob', 'bob', 1, 1)`).run()
    // Written out of time order, with a tie on ts.
    put('c', 3000, 'third')
    put('a', 1000, 'first')
    put('b2', 2000, 'second (b2)')
    put('b1', 2000, 'second (b1)')
    const before = db.prepare(`SELECT id, conversation_id, sender, direction, ts, text, status FROM messages ORDER BY id`).all()
    applyOnly(db, 18)
    const after = db.prepare(`SELECT id, conversation_id, sender, direction, ts, text, status FROM messages ORDER BY id`).all()
    expect(after).toEqual(before)
    const keys = db.prepare(`SELECT rowid AS k, id FROM messages ORDER BY rowid`).all() as { k: number; id: string }[]
    expect(keys.map((r) => r.id)).toEqual(['a', 'b1', 'b2', 'c'])
    expect(keys.map((r) => r.k)).toEqual([1000 * MESSAGE_KEY_SLOTS, 2000 * MESSAGE_KEY_SLOTS, 2000 * MESSAGE_KEY_SLOTS + 1, 3000 * MESSAGE_KEY_SLOTS])
  })
})
