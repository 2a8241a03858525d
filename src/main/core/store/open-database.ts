import Database from 'better-sqlite3'
import { chmodSync, closeSync, existsSync, openSync, renameSync, statSync } from 'node:fs'
import { migrate } from './migrate'
import type { Migration } from './migrations/types'

/** history.db holds private messages: only its owner may read it, whatever the umask. */
const FILE_MODE = 0o600
/**
 * Up to this size every page is checked at open (well under a second). quick_check
 * reads the whole file: on a 1M-message history (~750 MB) that is 4-6 s at every
 * start, so a larger file gets the header and schema read instead, and damage deeper
 * in surfaces as an error of the query that meets it.
 */
const FULL_CHECK_MAX_BYTES = 64 * 1024 * 1024

export type OpenedDatabase = { db: Database.Database; problem: string | null }

function isCorruption(err: unknown): boolean {
  const code = (err as { code?: string })?.code ?? ''
  return code === 'SQLITE_CORRUPT' || code === 'SQLITE_NOTADB' || code.startsWith('SQLITE_CORRUPT')
}

function openAndMigrate(path: string, migrations: readonly Migration[]): Database.Database {
  // Created 0600 before SQLite opens it: SQLite gives the -wal and -shm files the database's mode.
  closeSync(openSync(path, 'a', FILE_MODE))
  chmodSync(path, FILE_MODE)
  const db = new Database(path)
  try {
    db.pragma('journal_mode = WAL')
    // WAL + NORMAL: a commit survives an app crash; only a power loss can drop the last commits.
    db.pragma('synchronous = NORMAL')
    db.pragma('foreign_keys = ON')
    db.pragma('busy_timeout = 5000')
    if (statSync(path).size <= FULL_CHECK_MAX_BYTES) {
      const check = db.pragma('quick_check', { simple: true })
      if (check !== 'ok') throw Object.assign(new Error(`quick_check: ${String(check)}`), { code: 'SQLITE_CORRUPT' })
    } else {
      db.prepare('SELECT count(*) FROM sqlite_schema').get()
    }
    migrate(db, migrations)
    return db
  } catch (err) {
    db.close()
    throw err
  }
}

/**
 * Opens history.db. A corrupted file is moved aside (with its WAL) and a fresh
 * database started, and the returned `problem` says where the old one went —
 * the app keeps running instead of refusing to start.
 */
export function openDatabase(path: string, migrations: readonly Migration[]): OpenedDatabase {
  try {
    return { db: openAndMigrate(path, migrations), problem: null }
  } catch (err) {
    if (!isCorruption(err)) throw err
    const aside = `${path}.corrupt-${Date.now()}`
    for (const suffix of ['', '-wal', '-shm']) {
      if (existsSync(path + suffix)) renameSync(path + suffix, aside + suffix)
    }
    return {
      db: openAndMigrate(path, migrations),
      problem: `Your message history could not be read (${(err as Error).message}). It was kept in ${aside} and a new history was started.`,
    }
  }
}
