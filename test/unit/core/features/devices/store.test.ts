import Database from 'better-sqlite3'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { ALL_MIGRATIONS } from '../../../../../src/main/core/features'
import { DeviceStore } from '../../../../../src/main/core/features/devices/store'
import { migrate } from '../../../../../src/main/core/store/migrate'

describe('the devices store', () => {
  let db: Database.Database
  let store: DeviceStore
  beforeEach(() => {
    db = new Database(':memory:')
    migrate(db, ALL_MIGRATIONS)
    store = new DeviceStore(db)
  })
  afterEach(() => db.close())

  it('keeps the newest name by the device clock', () => {
    expect(store.describe('b', 'Laptop', 10, 1)).toBe(true)
    expect(store.describe('b', 'Old name', 5, 1)).toBe(false)
    expect(store.describe('b', 'Laptop', 20, 1)).toBe(false) // same name again: nothing a person sees
    expect(store.describe('b', 'Work laptop', 30, 1)).toBe(true)
    expect(store.get('b')).toMatchObject({ name: 'Work laptop', nameTs: 30, linkedAt: 1, removedAt: null })
  })

  it('keeps a removed device removed until it links again after the removal', () => {
    store.describe('b', 'Laptop', 10, 1)
    store.remove('b', 100, false)
    expect(store.get('b')).toMatchObject({ removedAt: 100, cleared: false })
    // Its record, republished before it heard of the removal, carries its old link time.
    expect(store.describe('b', 'Laptop', 150, 1)).toBe(false)
    expect(store.get('b')!.removedAt).toBe(100)
    store.markCleared('b')
    expect(store.get('b')!.cleared).toBe(true)
    // Linked again, later.
    expect(store.describe('b', 'Laptop', 200, 180)).toBe(true)
    expect(store.get('b')).toMatchObject({ removedAt: null, linkedAt: 180 })
  })

  it('applies each sync item once, and forgets ids by age', () => {
    expect(store.firstTime('x', 10)).toBe(true)
    expect(store.firstTime('x', 11)).toBe(false)
    store.pruneSeen(11)
    expect(store.firstTime('x', 12)).toBe(true)
  })
})
