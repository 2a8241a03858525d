import type Database from 'better-sqlite3'
import type { Migration } from './migrations/types'

/**
 * Puts the kernel's and the features' migrations in their one global order and
 * checks it: versions 1, 2, 3… each exactly once, whoever declares them.
 */
export function orderMigrations(lists: readonly (readonly Migration[])[]): Migration[] {
  const all = lists.flat().sort((a, b) => a.version - b.version)
  all.forEach((m, i) => {
    if (m.version !== i + 1) {
      const clash = all.filter((x) => x.version === m.version).map((x) => x.name)
      throw new Error(
        clash.length > 1
          ? `migration ${m.version} is declared twice (${clash.join(', ')})`
          : `migration ${i + 1} is missing (next is ${m.version} ${m.name})`,
      )
    }
  })
  return all
}

/**
 * Brings the schema to the newest version. Each migration runs in its own
 * transaction together with its user_version bump, so a crash between two
 * leaves a database at a well-defined version.
 */
export function migrate(db: Database.Database, migrations: readonly Migration[]): number {
  const current = db.pragma('user_version', { simple: true }) as number
  const newest = migrations.at(-1)?.version ?? 0
  if (current > newest) {
    throw new Error(`history.db was written by a newer Parley (schema ${current}, this one knows ${newest}). Update Parley.`)
  }
  // SQLite's way to rebuild a table that others refer to: foreign keys off around the
  // transaction (the pragma is a no-op inside one), and checked before each commit.
  const enforced = db.pragma('foreign_keys', { simple: true }) === 1
  if (enforced) db.pragma('foreign_keys = OFF')
  try {
    for (const m of migrations) {
      if (m.version <= current) continue
      db.transaction(() => {
        m.up(db)
        const broken = db.pragma('foreign_key_check') as unknown[]
        if (broken.length) throw new Error(`migration ${m.version} (${m.name}) would leave ${broken.length} broken reference(s)`)
        db.pragma(`user_version = ${m.version}`)
      })()
    }
  } finally {
    if (enforced) db.pragma('foreign_keys = ON')
  }
  return db.pragma('user_version', { simple: true }) as number
}
