import type Database from 'better-sqlite3'

/**
 * Empties every table of history.db and compacts the file, keeping the schema (and
 * its user_version), so the same Parley opens it as a fresh history. VACUUM rewrites
 * the file and the WAL is truncated: what was deleted does not linger on disk.
 */
export function wipeHistory(db: Database.Database): void {
  const tables = db.prepare(`SELECT name, sql FROM sqlite_schema WHERE type = 'table' ORDER BY name`).all() as { name: string; sql: string | null }[]
  // A virtual table (full-text search) keeps its rows in shadow tables named after it:
  // emptying it through itself is the only safe way, and its shadows are left alone.
  const virtual = tables.filter((t) => /^CREATE\s+VIRTUAL\s+TABLE/i.test(t.sql ?? '')).map((t) => t.name)
  const isShadow = (name: string): boolean => virtual.some((v) => name.startsWith(`${v}_`))
  const targets = tables.map((t) => t.name).filter((name) => (name === 'sqlite_sequence' || !name.startsWith('sqlite_')) && !isShadow(name))
  // Tables refer to each other: with foreign keys off, the order of deletion does not matter.
  const enforced = db.pragma('foreign_keys', { simple: true }) === 1
  if (enforced) db.pragma('foreign_keys = OFF')
  try {
    db.transaction(() => {
      for (const name of targets) db.prepare(`DELETE FROM "${name.replaceAll('"', '""')}"`).run()
    })()
  } finally {
    if (enforced) db.pragma('foreign_keys = ON')
  }
  db.exec('VACUUM')
  db.pragma('wal_checkpoint(TRUNCATE)')
}
