import type Database from 'better-sqlite3'

/** Another device of my account, as this device knows it from the sync. */
export interface KnownDevice {
  id: string
  /** The name it gave itself; null until its device record arrived. */
  name: string | null
  /** Its clock when it chose that name (the newest wins). */
  nameTs: number | null
  /** When it joined the account's device sync (its clock). */
  linkedAt: number | null
  /** When a device of mine removed it (that one's clock); null: it is linked. */
  removedAt: number | null
  /** Its retained records (presence, device record) are cleared; false while that is still to do. */
  cleared: boolean
}

interface Row {
  id: string
  name: string | null
  name_ts: number | null
  linked_at: number | null
  removed_at: number | null
  cleared: number
}

const toDevice = (r: Row): KnownDevice => ({
  id: r.id,
  name: r.name,
  nameTs: r.name_ts,
  linkedAt: r.linked_at,
  removedAt: r.removed_at,
  cleared: r.cleared === 1,
})

/** The account_devices and sync_seen tables (migration 0013). */
export class DeviceStore {
  private readonly q

  constructor(db: Database.Database) {
    this.q = {
      all: db.prepare(`SELECT id, name, name_ts, linked_at, removed_at, cleared FROM account_devices ORDER BY id`),
      get: db.prepare(`SELECT id, name, name_ts, linked_at, removed_at, cleared FROM account_devices WHERE id = ?`),
      put: db.prepare(
        `INSERT INTO account_devices (id, name, name_ts, linked_at, removed_at, cleared, updated_at)
         VALUES (@id, @name, @nameTs, @linkedAt, @removedAt, @cleared, @now)
         ON CONFLICT (id) DO UPDATE SET name = excluded.name, name_ts = excluded.name_ts, linked_at = excluded.linked_at,
           removed_at = excluded.removed_at, cleared = excluded.cleared, updated_at = excluded.updated_at`,
      ),
      cleared: db.prepare(`UPDATE account_devices SET cleared = 1 WHERE id = ?`),
      forgetAll: db.prepare(`DELETE FROM account_devices`),
      seen: db.prepare(`INSERT INTO sync_seen (id, at) VALUES (?, ?) ON CONFLICT (id) DO NOTHING`),
      pruneSeen: db.prepare(`DELETE FROM sync_seen WHERE at < ?`),
    }
  }

  all(): KnownDevice[] {
    return (this.q.all.all() as Row[]).map(toDevice)
  }

  get(id: string): KnownDevice | null {
    const row = this.q.get.get(id) as Row | undefined
    return row ? toDevice(row) : null
  }

  /**
   * What a device said about itself (its record): its name if newer than the one
   * known, and when it linked. A removed device stays removed unless it linked again
   * after the removal (a record it published before it heard of it says nothing).
   * Returns true when anything a person sees changed.
   */
  describe(id: string, name: string, ts: number, linkedAt: number): boolean {
    const had = this.get(id)
    const next: KnownDevice = had ?? { id, name: null, nameTs: null, linkedAt: null, removedAt: null, cleared: true }
    let changed = had === null
    if (next.removedAt !== null) {
      if (linkedAt <= next.removedAt) return false
      next.removedAt = null
      next.cleared = true
      changed = true
    }
    if (next.nameTs === null || ts > next.nameTs) {
      changed ||= next.name !== name
      next.name = name
      next.nameTs = ts
    }
    next.linkedAt = Math.max(next.linkedAt ?? 0, linkedAt)
    this.put(next)
    return changed
  }

  /** Marks a device removed at `at`; `cleared`: its retained records are already cleared (or are not ours to clear). */
  remove(id: string, at: number, cleared: boolean): void {
    const had = this.get(id) ?? { id, name: null, nameTs: null, linkedAt: null, removedAt: null, cleared: true }
    this.put({ ...had, removedAt: Math.max(had.removedAt ?? 0, at), cleared })
  }

  markCleared(id: string): void {
    this.q.cleared.run(id)
  }

  /** Forgets every other device (this one left the account's sync). */
  forgetAll(): void {
    this.q.forgetAll.run()
  }

  /** Remembers a sync item's id; false when it was applied before. */
  firstTime(id: string, at: number): boolean {
    return this.q.seen.run(id, at).changes === 1
  }

  pruneSeen(before: number): void {
    this.q.pruneSeen.run(before)
  }

  private put(d: KnownDevice): void {
    this.q.put.run({ id: d.id, name: d.name, nameTs: d.nameTs, linkedAt: d.linkedAt, removedAt: d.removedAt, cleared: d.cleared ? 1 : 0, now: Date.now() })
  }
}
