import { randomBytes } from 'node:crypto'
import { chmodSync, existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { ALL_MIGRATIONS as MIGRATIONS } from '../../../../src/main/core/features'
import { migrate } from '../../../../src/main/core/store/migrate'
import { openDatabase } from '../../../../src/main/core/store/open-database'
import { tmpDirs } from '../../../helpers/tmp-dir'

describe('openDatabase', () => {
  const dirs = tmpDirs('parley-db-')
  const open: Database.Database[] = []
  afterEach(() => {
    for (const db of open.splice(0)) db.close()
    dirs.cleanup()
  })

  it('creates and migrates a new history.db in WAL mode', () => {
    const path = join(dirs.make(), 'history.db')
    const { db, problem } = openDatabase(path, MIGRATIONS)
    open.push(db)
    expect(problem).toBeNull()
    expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.at(-1)!.version)
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal')
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1)
  })

  it('reopens an existing history with its data', () => {
    const path = join(dirs.make(), 'history.db')
    const first = openDatabase(path, MIGRATIONS).db
    first.prepare(`INSERT INTO counters (name, value) VALUES ('out', 41)`).run()
    first.close()
    const { db, problem } = openDatabase(path, MIGRATIONS)
    open.push(db)
    expect(problem).toBeNull()
    expect(db.prepare(`SELECT value FROM counters`).get()).toEqual({ value: 41 })
  })

  it('moves a garbage file aside, starts fresh, and says where the old one went', () => {
    const dir = dirs.make()
    const path = join(dir, 'history.db')
    const garbage = randomBytes(8192)
    writeFileSync(path, garbage)
    const { db, problem } = openDatabase(path, MIGRATIONS)
    open.push(db)
    const aside = readdirSync(dir).filter((f) => /^history\.db\.corrupt-\d+$/.test(f))
    expect(aside).toHaveLength(1)
    expect(readFileSync(join(dir, aside[0]!)).equals(garbage)).toBe(true)
    expect(problem).toContain(join(dir, aside[0]!))
    expect(problem).toMatch(/could not be read/)
    expect(problem).toMatch(/new history was started/)
    expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.at(-1)!.version)
    expect(db.prepare(`SELECT count(*) AS n FROM messages`).get()).toEqual({ n: 0 })
    expect(existsSync(path)).toBe(true)
  })

  it('moves aside a database whose header is fine but whose pages are garbage', () => {
    const dir = dirs.make()
    const path = join(dir, 'history.db')
    const first = openDatabase(path, MIGRATIONS).db
    const insert = first.prepare(`INSERT INTO counters (name, value) VALUES (?, ?)`)
    for (let i = 0; i < 2000; i++) insert.run(`counter-${i}-${'x'.repeat(40)}`, i)
    first.pragma('wal_checkpoint(TRUNCATE)')
    first.pragma('journal_mode = DELETE')
    first.close()
    const bytes = readFileSync(path)
    expect(bytes.subarray(0, 15).toString()).toBe('SQLite format 3')
    // Keep page 1 (header + schema), scribble over everything after it.
    randomBytes(bytes.length - 4096).copy(bytes, 4096)
    writeFileSync(path, bytes)
    const { db, problem } = openDatabase(path, MIGRATIONS)
    open.push(db)
    expect(problem).toMatch(/could not be read/)
    expect(readdirSync(dir).filter((f) => f.startsWith('history.db.corrupt-'))).toHaveLength(1)
    expect(db.prepare(`SELECT count(*) AS n FROM counters`).get()).toEqual({ n: 0 })
  })

  it('does not move aside a healthy database from a newer Parley: it throws instead', () => {
    const path = join(dirs.make(), 'history.db')
    const newer = new Database(path)
    newer.pragma('user_version = 99')
    newer.close()
    expect(() => openDatabase(path, MIGRATIONS)).toThrow(/newer Parley/)
    expect(readdirSync(join(path, '..')).filter((f) => f.includes('corrupt'))).toEqual([])
  })

  describe('file permissions (umask 022)', () => {
    let umask: number
    beforeEach(() => {
      umask = process.umask(0o022)
    })
    afterEach(() => {
      process.umask(umask)
    })
    const mode = (p: string) => statSync(p).mode & 0o777

    it('history.db, and its -wal after a write, are 0600', () => {
      const path = join(dirs.make(), 'history.db')
      const { db } = openDatabase(path, MIGRATIONS)
      open.push(db)
      expect(mode(path)).toBe(0o600)
      db.prepare(`INSERT INTO counters (name, value) VALUES ('out', 1)`).run()
      expect(existsSync(`${path}-wal`)).toBe(true)
      expect(mode(`${path}-wal`)).toBe(0o600)
      if (existsSync(`${path}-shm`)) expect(mode(`${path}-shm`)).toBe(0o600)
    })

    it('an existing world-readable history.db is made 0600 when opened', () => {
      const path = join(dirs.make(), 'history.db')
      openDatabase(path, MIGRATIONS).db.close()
      chmodSync(path, 0o644)
      const { db } = openDatabase(path, MIGRATIONS)
      open.push(db)
      expect(mode(path)).toBe(0o600)
    })
  })

  // What an existing user has on disk: a history from the release before the kernel
  // (schema 2), with messages in it. Opening it must bring it to the newest schema.
  it('upgrades a schema-2 history with messages, keeping them', () => {
    const path = join(dirs.make(), 'history.db')
    const old = new Database(path)
    migrate(old, MIGRATIONS.filter((m) => m.version <= 2))
    old.prepare(`INSERT INTO conversations (id, kind, peer, title, unread, updated_at, created_at) VALUES ('dm:bob', 'dm', 'bob', 'bob', 1, 2, 1)`).run()
    old.prepare(
      `INSERT INTO messages (id, conversation_id, sender, direction, ts, text, status, received_at) VALUES ('m1', 'dm:bob', 'bob', 'in', 2, 'hi', 'received', 2)`,
    ).run()
    old.close()
    const { db, problem } = openDatabase(path, MIGRATIONS)
    open.push(db)
    expect(problem).toBeNull()
    expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.at(-1)!.version)
    expect(db.prepare(`SELECT id, conversation_id, text, status, error FROM messages`).all()).toEqual([
      { id: 'm1', conversation_id: 'dm:bob', text: 'hi', status: 'received', error: null },
    ])
    expect(db.pragma('foreign_key_check')).toEqual([])
  })
})
