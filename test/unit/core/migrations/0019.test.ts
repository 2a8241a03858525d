import type Database from 'better-sqlite3'
import { afterEach, describe, expect, it } from 'vitest'
import { ALL_MIGRATIONS } from '../../../../src/main/core/features'
import { MESSAGE_KEY_SLOTS } from '../../../../src/main/core/features/messages/time-key'
import { migration0019 } from '../../../../src/main/core/features/search/migrations/0019_search_index'
import { SearchIndexer } from '../../../../src/main/core/features/search/indexer'
import { planSearch } from '../../../../src/main/core/features/search/query'
import { Searcher } from '../../../../src/main/core/features/search/searcher'
import { applyOnly, dbAt, tables } from './helpers'

describe('migration 0019: search index', () => {
  let db: Database.Database
  afterEach(() => db.close())

  it('is version 19, declared by the search feature, in the global order', () => {
    db = dbAt(0)
    expect(migration0019.version).toBe(19)
    expect(migration0019.name).toBe('search index')
    expect(ALL_MIGRATIONS[18]).toBe(migration0019)
  })

  it('adds the queues (STRICT) and the triggers that keep the index in step; month tables come with indexing', () => {
    db = dbAt(18)
    expect(tables(db)).not.toContain('search_queue')
    applyOnly(db, 19)
    expect(tables(db)).toEqual(expect.arrayContaining(['search_queue', 'search_forget']))
    const sql = (name: string): string =>
      (db.prepare(`SELECT sql FROM sqlite_schema WHERE name = ?`).get(name) as { sql: string } | undefined)?.sql ?? ''
    expect(sql('search_queue')).toMatch(/STRICT/)
    expect(sql('search_forget')).toMatch(/STRICT/)
    expect(tables(db).filter((t) => t.startsWith('message_index_m'))).toEqual([])
    const triggers = (db.prepare(`SELECT name FROM sqlite_schema WHERE type = 'trigger' AND tbl_name = 'messages' ORDER BY name`).all() as { name: string }[]).map(
      (t) => t.name,
    )
    expect(triggers).toEqual(expect.arrayContaining(['message_index_forget', 'message_index_queue', 'message_index_requeue']))
  })

  describe('from the foundation schema, with history', () => {
    // Written out of time order, with a tie on ts and texts of several scripts: what a user had before search existed.
    const history = [
      { id: 'm-3', conv: 'dm:bob', sender: 'bob', direction: 'in', ts: 1_700_000_300_000, text: 'C++ and multi-agent notes' },
      { id: 'm-1', conv: 'dm:bob', sender: 'bob', direction: 'in', ts: 1_700_000_100_000, text: 'first café meeting' },
      { id: 'm-2b', conv: 'dm:carol', sender: 'me', direction: 'out', ts: 1_700_000_200_000, text: '我在北京工作' },
      { id: 'm-2a', conv: 'dm:carol', sender: 'carol', direction: 'in', ts: 1_700_000_200_000, text: 'supercalifragilistic hi' },
      { id: 'm-4', conv: 'dm:bob', sender: 'me', direction: 'out', ts: 1_700_000_400_000, text: 'see https://example.org' },
    ] as const

    const migrated = (): Database.Database => {
      db = dbAt(3)
      const conv = db.prepare(`INSERT INTO conversations (id, kind, peer, title, updated_at, created_at) VALUES (?, 'dm', ?, ?, 1, 1)`)
      conv.run('dm:bob', 'bob', 'bob')
      conv.run('dm:carol', 'carol', 'carol')
      const put = db.prepare(
        `INSERT INTO messages (id, conversation_id, sender, direction, ts, text, status, received_at) VALUES (?, ?, ?, ?, ?, ?, ?, 1)`,
      )
      for (const m of history) put.run(m.id, m.conv, m.sender, m.direction, m.ts, m.text, m.direction === 'in' ? 'received' : 'sent')
      applyOnly(db, 19)
      return db
    }

    it('keeps every message (ids, texts, times) and keys each by its time', () => {
      migrated()
      const rows = db.prepare(`SELECT rowid AS k, id, conversation_id, sender, ts, text FROM messages ORDER BY rowid`).all() as {
        k: number
        id: string
        conversation_id: string
        sender: string
        ts: number
        text: string
      }[]
      expect(rows.map((r) => r.id)).toEqual(['m-1', 'm-2a', 'm-2b', 'm-3', 'm-4'])
      for (const r of rows) {
        const was = history.find((m) => m.id === r.id)!
        expect(r).toMatchObject({ conversation_id: was.conv, sender: was.sender, ts: was.ts, text: was.text })
        expect(Math.floor(r.k / MESSAGE_KEY_SLOTS)).toBe(r.ts)
      }
      expect(rows.find((r) => r.id === 'm-2b')!.k).toBe(rows.find((r) => r.id === 'm-2a')!.k + 1)
    })

    it('queues every message, and after catch-up each is found by search, newest first', () => {
      migrated()
      const indexer = new SearchIndexer(db)
      expect(indexer.pending()).toBe(history.length)
      expect(indexer.indexed()).toBe(0)
      expect(indexer.catchUp()).toBe(history.length)
      expect(indexer.pending()).toBe(0)
      const searcher = new Searcher(db)
      const find = (text: string, conversationId: string | null = null): string[] =>
        searcher.find(planSearch(text), { conversationId, sender: null, belowKey: null }, 50).rows.map((r) => r.id)
      expect(find('C++')).toEqual(['m-3'])
      expect(find('multi-agent')).toEqual(['m-3'])
      expect(find('cafe')).toEqual(['m-1'])
      expect(find('北京')).toEqual(['m-2b'])
      expect(find('fragil')).toEqual(['m-2a'])
      expect(find('hi')).toEqual(['m-2a'])
      expect(find('has:link')).toEqual(['m-4'])
      expect(find('', 'dm:bob')).toEqual(['m-4', 'm-3', 'm-1'])
      // Every old message is in the index: a search for each one's own text finds it.
      for (const m of history) expect(find(`"${m.text}"`)).toContain(m.id)
    })
  })
})
