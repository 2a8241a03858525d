import type Database from 'better-sqlite3'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { migration0003 } from '../../../../src/main/core/store/migrations/0003_outbox_and_prefs'
import { applyOnly, columns, dbAt, indexes, tables } from './helpers'

describe('migration 0003: outbox and prefs', () => {
  let db: Database.Database

  beforeEach(() => {
    db = dbAt(2)
    expect(tables(db)).not.toContain('outbox')
    db.prepare(`INSERT INTO conversations (id, kind, peer, title, updated_at, created_at) VALUES ('dm:a', 'dm', 'a', 'a', 1, 1)`).run()
    db.prepare(
      `INSERT INTO messages (id, conversation_id, sender, direction, ts, text, status, received_at) VALUES ('m1', 'dm:a', 'me', 'out', 5, 'hi', 'pending', 5)`,
    ).run()
    db.prepare(`INSERT INTO counters (name, value) VALUES ('out', 3)`).run()
    applyOnly(db, 3)
  })
  afterEach(() => db.close())

  const outbox = (over: Record<string, unknown> = {}) =>
    db
      .prepare(
        `INSERT INTO outbox (owner, ref, topic, payload, state, created_at)
         VALUES (@owner, @ref, @topic, @payload, @state, @created_at)`,
      )
      .run({ owner: 'messages', ref: 'm1', topic: 'IMS/b/Inbox/Msg/a', payload: Buffer.from('x'), state: 'queued', created_at: 1, ...over })

  it('is version 3', () => {
    expect(migration0003.version).toBe(3)
    expect(migration0003.name).toBe('outbox and prefs')
  })

  it('adds the outbox and prefs tables and keeps existing data', () => {
    expect(tables(db)).toEqual(['conversations', 'counters', 'messages', 'outbox', 'prefs'])
    const o = columns(db, 'outbox')
    expect(Object.keys(o).sort()).toEqual(
      ['created_at', 'drops', 'next_offer_at', 'offers', 'owner', 'payload', 'ref', 'reoffer', 'rowid', 'state', 'topic'].sort(),
    )
    expect(o.rowid).toMatchObject({ type: 'INTEGER', pk: 1 })
    expect(o.payload).toMatchObject({ type: 'BLOB', notnull: 1 })
    expect(o.next_offer_at!.notnull).toBe(0)
    expect(Object.keys(columns(db, 'prefs')).sort()).toEqual(['key', 'value'])
    expect(columns(db, 'prefs').key!.pk).toBe(1)
    expect(db.prepare(`SELECT id, status FROM messages`).all()).toEqual([{ id: 'm1', status: 'pending' }])
    expect(db.prepare(`SELECT value FROM counters WHERE name = 'out'`).get()).toEqual({ value: 3 })
  })

  it('new rows default to not re-offered, no drops, no offers', () => {
    outbox()
    expect(db.prepare(`SELECT reoffer, drops, offers, next_offer_at FROM outbox`).get()).toEqual({ reoffer: 0, drops: 0, offers: 0, next_offer_at: null })
  })

  it('(owner, ref) is unique; the same ref under another owner is another row', () => {
    outbox()
    expect(() => outbox({ topic: 'other' })).toThrow(/UNIQUE constraint failed: outbox.owner, outbox.ref/)
    expect(outbox({ owner: 'receipts' }).changes).toBe(1)
  })

  it('refuses an unknown state and a text payload (STRICT)', () => {
    expect(() => outbox({ state: 'sent' })).toThrow(/CHECK constraint failed/)
    expect(() => outbox({ payload: 'text' })).toThrow(/cannot store TEXT value in BLOB column/)
    for (const state of ['queued', 'acked', 'failed']) expect(outbox({ ref: state, state }).changes).toBe(1)
  })

  it('keeps a partial index over the queued rows', () => {
    const idx = indexes(db, 'outbox').find((i) => i.name === 'outbox_queued')
    expect(idx?.partial).toBe(1)
    expect(idx?.sql).toMatch(/WHERE state = 'queued'/)
    const plan = db.prepare(`EXPLAIN QUERY PLAN SELECT * FROM outbox WHERE state = 'queued' ORDER BY rowid`).all() as { detail: string }[]
    expect(plan.map((p) => p.detail).join(' ')).toMatch(/outbox_queued/)
  })

  it('prefs keep one text value per key', () => {
    const set = db.prepare(`INSERT INTO prefs (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value`)
    set.run('presence.mode', '"auto"')
    set.run('presence.mode', '"dnd"')
    expect(db.prepare(`SELECT key, value FROM prefs`).all()).toEqual([{ key: 'presence.mode', value: '"dnd"' }])
    expect(() => db.prepare(`INSERT INTO prefs (key) VALUES ('x')`).run()).toThrow(/NOT NULL/)
  })
})
