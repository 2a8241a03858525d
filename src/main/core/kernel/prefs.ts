import type Database from 'better-sqlite3'
import type { z } from 'zod'
import type { Logger } from './log'

/** Per-account preferences that features keep in history.db, one JSON value per key. */
export class Prefs {
  private readonly getQ
  private readonly setQ

  constructor(
    db: Database.Database,
    private readonly log: Logger,
  ) {
    this.getQ = db.prepare(`SELECT value FROM prefs WHERE key = ?`)
    this.setQ = db.prepare(`INSERT INTO prefs (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value`)
  }

  /** The stored value, or `fallback` when there is none or it no longer fits `schema`. */
  get<T>(key: string, schema: z.ZodType<T>, fallback: T): T {
    const row = this.getQ.get(key) as { value: string } | undefined
    if (!row) return fallback
    try {
      const parsed = schema.safeParse(JSON.parse(row.value))
      if (parsed.success) return parsed.data
    } catch {
      // fall through
    }
    this.log.warn('ignored an unreadable preference', { key })
    return fallback
  }

  set<T>(key: string, value: T): void {
    this.setQ.run(key, JSON.stringify(value))
  }
}
