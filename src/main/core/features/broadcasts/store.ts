import type Database from 'better-sqlite3'

/** The `broadcast_regions` table: the regions followed. */
export class RegionStore {
  private readonly q

  constructor(private readonly db: Database.Database) {
    this.q = {
      list: db.prepare(`SELECT region FROM broadcast_regions ORDER BY region`),
      add: db.prepare(`INSERT INTO broadcast_regions (region, since) VALUES (?, ?) ON CONFLICT (region) DO NOTHING`),
      remove: db.prepare(`DELETE FROM broadcast_regions WHERE region = ?`),
    }
  }

  list(): string[] {
    return (this.q.list.all() as { region: string }[]).map((r) => r.region)
  }

  /** Makes the followed regions exactly `regions`; what was added and what was removed. */
  replace(regions: readonly string[], now = Date.now()): { added: string[]; removed: string[] } {
    return this.db.transaction(() => {
      const before = new Set(this.list())
      const wanted = new Set(regions)
      const added = regions.filter((r) => !before.has(r))
      const removed = [...before].filter((r) => !wanted.has(r))
      for (const r of added) this.q.add.run(r, now)
      for (const r of removed) this.q.remove.run(r)
      return { added, removed }
    })()
  }
}
