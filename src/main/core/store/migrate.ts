import type Database from 'better-sqlite3'
import { MIGRATIONS, type Migration } from './migrations'

/**
 * Brings the schema to the newest version. Each migration runs in its own
 * transaction together with its user_version bump, so a crash between two
 * leaves a database at a well-defined version.
 */
export function migrate(db: Database.Database, migrations: readonly Migration[] = MIGRATIONS): number {
  const current = db.pragma('user_version', { simple: true }) as number
  const newest = migrations.at(-1)?.version ?? 0
  if (current > newest) {
    throw new Error(`history.db was written by a newer Parley (schema ${current}, this one knows ${newest}). Update Parley.`)
  }
  for (const m of migrations) {
    if (m.version <= current) continue
    db.transaction(() => {
      m.up(db)
      db.pragma(`user_version = ${m.version}`)
    })()
  }
  return db.pragma('user_version', { simple: true }) as number
}
