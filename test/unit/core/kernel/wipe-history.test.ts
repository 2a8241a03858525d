import { mkdtempSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { afterEach, describe, expect, it } from 'vitest'
import { wipeHistory } from '../../../../src/main/core/kernel/wipe-history'

describe('wipeHistory (sign out, deleting the history)', () => {
  const dirs: string[] = []
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
  })

  function open(): { db: Database.Database; path: string } {
    const dir = mkdtempSync(join(tmpdir(), 'parley-wipe-'))
    dirs.push(dir)
    const path = join(dir, 'history.db')
    const db = new Database(path)
    db.pragma('journal_mode = WAL')
    db.pragma('foreign_keys = ON')
    db.exec(`
      CREATE TABLE conversations (id TEXT PRIMARY KEY) STRICT;
      CREATE TABLE messages (id INTEGER PRIMARY KEY AUTOINCREMENT, conversation_id TEXT NOT NULL REFERENCES conversations(id), text TEXT NOT NULL) STRICT;
      CREATE TABLE prefs (key TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT;
      CREATE VIRTUAL TABLE search USING fts5(text);
    `)
    db.pragma('user_version = 7')
    const secret = 'x'.repeat(2000)
    db.transaction(() => {
      for (let i = 0; i < 200; i++) {
        db.prepare('INSERT INTO conversations VALUES (?)').run(`dm:p${i}`)
        db.prepare('INSERT INTO messages (conversation_id, text) VALUES (?, ?)').run(`dm:p${i}`, `${secret} ${i}`)
        db.prepare('INSERT INTO search (text) VALUES (?)').run(`hello ${i}`)
      }
      db.prepare(`INSERT INTO prefs VALUES ('presence.mode', '"dnd"')`).run()
    })()
    return { db, path }
  }

  it('empties every table (parents before children regardless), keeps the schema and its version, and shrinks the file', () => {
    const { db, path } = open()
    db.pragma('wal_checkpoint(TRUNCATE)')
    const sizeBefore = statSync(path).size
    wipeHistory(db)
    for (const table of ['conversations', 'messages', 'prefs', 'search']) {
      expect(db.prepare(`SELECT count(*) AS n FROM ${table}`).get(), table).toEqual({ n: 0 })
    }
    expect(db.pragma('user_version', { simple: true })).toBe(7)
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1)
    expect(statSync(path).size).toBeLessThan(sizeBefore / 4)
    expect(statSync(`${path}-wal`).size).toBe(0)
    // Usable as a fresh history: ids start over, full-text search still works.
    db.prepare('INSERT INTO conversations VALUES (?)').run('dm:new')
    expect(db.prepare('INSERT INTO messages (conversation_id, text) VALUES (?, ?)').run('dm:new', 'hi').lastInsertRowid).toBe(1)
    db.prepare('INSERT INTO search (text) VALUES (?)').run('fresh start')
    expect(db.prepare(`SELECT text FROM search WHERE search MATCH 'fresh'`).all()).toEqual([{ text: 'fresh start' }])
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok')
    db.close()
  })
})
