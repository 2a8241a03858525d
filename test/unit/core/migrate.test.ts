import Database from 'better-sqlite3'
import { afterEach, describe, expect, it } from 'vitest'
import { migrate } from '../../../src/main/core/store/migrate'
import { MIGRATIONS, type Migration } from '../../../src/main/core/store/migrations'

describe('migrate', () => {
  const dbs: Database.Database[] = []
  const fresh = () => {
    const db = new Database(':memory:')
    dbs.push(db)
    return db
  }
  afterEach(() => {
    for (const db of dbs.splice(0)) db.close()
  })

  const schema = (db: Database.Database) => db.prepare(`SELECT type, name, sql FROM sqlite_master ORDER BY name`).all()

  it('migrations are numbered consecutively from 1', () => {
    expect(MIGRATIONS.map((m) => m.version)).toEqual(MIGRATIONS.map((_, i) => i + 1))
  })

  it('brings an empty database to the newest version', () => {
    const db = fresh()
    const newest = MIGRATIONS.at(-1)!.version
    expect(migrate(db)).toBe(newest)
    expect(db.pragma('user_version', { simple: true })).toBe(newest)
  })

  it('running it twice is a no-op', () => {
    const db = fresh()
    migrate(db)
    const before = schema(db)
    expect(migrate(db)).toBe(MIGRATIONS.at(-1)!.version)
    expect(schema(db)).toEqual(before)
  })

  it('refuses a database from a newer Parley with a clear error, touching nothing', () => {
    const db = fresh()
    db.pragma('user_version = 99')
    const newest = MIGRATIONS.at(-1)!.version
    expect(() => migrate(db)).toThrow(`history.db was written by a newer Parley (schema 99, this one knows ${newest}). Update Parley.`)
    expect(db.pragma('user_version', { simple: true })).toBe(99)
    expect(schema(db)).toEqual([])
  })

  it('a failing migration rolls back with its version bump', () => {
    const db = fresh()
    const broken: Migration = {
      version: MIGRATIONS.length + 1,
      name: 'broken',
      up(d) {
        d.exec(`CREATE TABLE half (x INTEGER)`)
        throw new Error('boom')
      },
    }
    expect(() => migrate(db, [...MIGRATIONS, broken])).toThrow('boom')
    expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length)
    expect(db.prepare(`SELECT name FROM sqlite_master WHERE name = 'half'`).get()).toBeUndefined()
  })
})
