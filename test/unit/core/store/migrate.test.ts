import Database from 'better-sqlite3'
import { afterEach, describe, expect, it } from 'vitest'
import { ALL_MIGRATIONS as MIGRATIONS } from '../../../../src/main/core/features'
import { migrate, orderMigrations } from '../../../../src/main/core/store/migrate'
import { MIGRATIONS as KERNEL_MIGRATIONS, type Migration } from '../../../../src/main/core/store/migrations'

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
    expect(migrate(db, MIGRATIONS)).toBe(newest)
    expect(db.pragma('user_version', { simple: true })).toBe(newest)
  })

  it('running it twice is a no-op', () => {
    const db = fresh()
    migrate(db, MIGRATIONS)
    const before = schema(db)
    expect(migrate(db, MIGRATIONS)).toBe(MIGRATIONS.at(-1)!.version)
    expect(schema(db)).toEqual(before)
  })

  it('refuses a database from a newer Parley with a clear error, touching nothing', () => {
    const db = fresh()
    db.pragma('user_version = 99')
    const newest = MIGRATIONS.at(-1)!.version
    expect(() => migrate(db, MIGRATIONS)).toThrow(`history.db was written by a newer Parley (schema 99, this one knows ${newest}). Update Parley.`)
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

describe('orderMigrations', () => {
  const m = (version: number, name = `m${version}`): Migration => ({ version, name, up() {} })

  it('puts the kernel and feature lists in one order by version, whoever declares them', () => {
    expect(orderMigrations([[m(3), m(1)], [m(2)], [], [m(4)]]).map((x) => x.version)).toEqual([1, 2, 3, 4])
  })

  it('ALL_MIGRATIONS is the kernel 0001–0003 first, then the features, consecutive from 1', () => {
    expect(MIGRATIONS.map((x) => x.version)).toEqual(MIGRATIONS.map((_, i) => i + 1))
    expect(MIGRATIONS.slice(0, KERNEL_MIGRATIONS.length)).toEqual(KERNEL_MIGRATIONS)
    expect(MIGRATIONS.slice(0, 8).map((x) => x.name)).toEqual([
      'conversations and messages',
      'counters',
      'outbox and prefs',
      'conversation kinds',
      'message statuses',
      'presence',
      'message tombstones',
      'conversation folders',
    ])
  })

  it('a version declared twice is an error naming both', () => {
    expect(() => orderMigrations([[m(1), m(2, 'kernel two')], [m(2, 'feature two'), m(3)]])).toThrow(
      'migration 2 is declared twice (kernel two, feature two)',
    )
  })

  it('a gap is an error naming the missing version and the next one', () => {
    expect(() => orderMigrations([[m(1), m(2)], [m(4, 'presence')]])).toThrow('migration 3 is missing (next is 4 presence)')
    expect(() => orderMigrations([[m(2, 'counters')]])).toThrow('migration 1 is missing (next is 2 counters)')
  })

  it('an empty list is fine: nothing to run', () => {
    expect(orderMigrations([])).toEqual([])
  })
})
