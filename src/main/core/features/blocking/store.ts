import type Database from 'better-sqlite3'
import type { BlockedUser } from '../../../../shared/contract'

interface Row {
  user: string
  since: number
  notified: number
  ended_at: number | null
}

/** A block that was lifted: what the person sent between `since` and `endedAt` stays out. */
export interface EndedBlock {
  user: string
  since: number
  endedAt: number
}

const toBlocked = (r: Row): BlockedUser => ({ user: r.user, since: r.since, notified: r.notified === 1 })

/** The `blocks` table: who is blocked (since when, told or not), and the blocks lifted lately. */
export class BlockStore {
  private readonly q

  constructor(db: Database.Database) {
    this.q = {
      current: db.prepare(`SELECT user, since, notified FROM blocks WHERE ended_at IS NULL ORDER BY since DESC, user`),
      ended: db.prepare(`SELECT user, since, ended_at FROM blocks WHERE ended_at IS NOT NULL`),
      get: db.prepare(`SELECT user, since, notified FROM blocks WHERE user = ? AND ended_at IS NULL`),
      put: db.prepare(
        `INSERT INTO blocks (user, since, notified, ended_at) VALUES (?, ?, ?, NULL)
         ON CONFLICT (user) DO UPDATE SET since = excluded.since, notified = excluded.notified, ended_at = NULL`,
      ),
      end: db.prepare(`UPDATE blocks SET ended_at = max(?, since) WHERE user = ? AND ended_at IS NULL RETURNING user, since, ended_at`),
      prune: db.prepare(`DELETE FROM blocks WHERE ended_at < ?`),
    }
  }

  /** Who is blocked now, newest first. */
  list(): BlockedUser[] {
    return (this.q.current.all() as Row[]).map(toBlocked)
  }

  ended(): EndedBlock[] {
    return (this.q.ended.all() as Row[]).map((r) => ({ user: r.user, since: r.since, endedAt: r.ended_at! }))
  }

  /** The block on `user` now, or null. */
  get(user: string): BlockedUser | null {
    const r = this.q.get.get(user) as Row | undefined
    return r ? toBlocked(r) : null
  }

  put(b: BlockedUser): void {
    this.q.put.run(b.user, b.since, b.notified ? 1 : 0)
  }

  /** Lifts the block on `user` at `at`; what was lifted, or null when they were not blocked. */
  end(user: string, at: number): EndedBlock | null {
    const r = this.q.end.get(at, user) as Row | undefined
    return r ? { user: r.user, since: r.since, endedAt: r.ended_at! } : null
  }

  /** Forgets blocks lifted before `before` (ms since epoch). */
  prune(before: number): void {
    this.q.prune.run(before)
  }
}
