import type Database from 'better-sqlite3'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { HistoryRows } from '../../../../../src/main/core/features/messages/history-rows'
import type { MessageStore, NewMessage } from '../../../../../src/main/core/features/messages/store'
import { msg, openStores, T } from '../stores'

describe('HistoryRows (an export reads a conversation oldest first)', () => {
  let db: Database.Database
  let store: MessageStore
  beforeEach(() => {
    ;({ db, messages: store } = openStores())
  })
  afterEach(() => db.close())

  it('pages oldest first by (ts, id), ties included, every message once', () => {
    const all: NewMessage[] = [...Array.from({ length: 5 }, () => msg({ ts: T })), ...Array.from({ length: 6 }, () => msg())]
    store.insertMany([...all].reverse())
    store.insert(msg({ peer: 'bob' }))
    const rows = new HistoryRows(db)
    const seen: string[] = []
    let after: { ts: number; id: string } | null = null
    for (;;) {
      const page = rows.oldestFirst('dm:alice', after, 3)
      seen.push(...page.map((m) => m.id))
      if (page.length < 3) break
      after = { ts: page.at(-1)!.ts, id: page.at(-1)!.id }
    }
    expect(seen).toEqual([...all].sort((a, b) => a.ts - b.ts || (a.id < b.id ? -1 : 1)).map((m) => m.id))
    expect(rows.count('dm:alice')).toBe(11)
    expect(rows.count(null)).toBe(12)
  })

  it('a page after a cursor seeks to it on the conversation index (deep in a long history it costs what the first page does)', () => {
    // The statements HistoryRows really prepares, explained with real bounds.
    const prepared: string[] = []
    const spy = new Proxy(db, {
      get: (target, key) => (key === 'prepare' ? (sql: string) => (prepared.push(sql), target.prepare(sql)) : Reflect.get(target, key)),
    })
    new HistoryRows(spy)
    const paging = prepared.filter((sql) => /\bts\b.*>/s.test(sql))
    expect(paging).toHaveLength(1)
    const plan = (db.prepare(`EXPLAIN QUERY PLAN ${paging[0]!}`).all('dm:alice', T, T, 'x', 10) as { detail: string }[]).map((r) => r.detail)
    expect(plan.join(' | ')).toMatch(/^SEARCH messages USING INDEX messages_by_conversation \(conversation_id=\? AND ts>\?\)$/)
  })
})
