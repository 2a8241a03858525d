import { expect } from 'vitest'
import Database from 'better-sqlite3'
import { migrate } from '../../../../src/main/core/store/migrate'
import { ALL_MIGRATIONS } from '../../../../src/main/core/features'

/** An in-memory DB migrated to `version` (0 = empty), with the pragmas the app uses. */
export function dbAt(version: number): Database.Database {
  const db = new Database(':memory:')
  db.pragma('foreign_keys = ON')
  migrate(
    db,
    ALL_MIGRATIONS.filter((m) => m.version <= version),
  )
  expect(db.pragma('user_version', { simple: true })).toBe(version)
  return db
}

/** Applies exactly the migration numbered `version` on top of `db`. */
export function applyOnly(db: Database.Database, version: number): void {
  migrate(
    db,
    ALL_MIGRATIONS.filter((m) => m.version <= version),
  )
  expect(db.pragma('user_version', { simple: true })).toBe(version)
}

export function columns(db: Database.Database, table: string): Record<string, { type: string; notnull: number; pk: number }> {
  const rows = db.prepare(`PRAGMA table_info(${table})`).all() as { name: string; type: string; notnull: number; pk: number }[]
  return Object.fromEntries(rows.map((r) => [r.name, { type: r.type, notnull: r.notnull, pk: r.pk }]))
}

export function tables(db: Database.Database): string[] {
  return (db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`).all() as { name: string }[]).map(
    (r) => r.name,
  )
}

export function indexes(db: Database.Database, table: string): { name: string; sql: string | null; unique: number; partial: number }[] {
  const list = db.prepare(`PRAGMA index_list(${table})`).all() as { name: string; unique: number; partial: number }[]
  return list.map((i) => ({
    ...i,
    sql: (db.prepare(`SELECT sql FROM sqlite_master WHERE type = 'index' AND name = ?`).get(i.name) as { sql: string | null } | undefined)?.sql ?? null,
  }))
}
