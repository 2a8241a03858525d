import type Database from 'better-sqlite3'
import type { Moment, MomentsPage, MomentStatus } from '../../../../shared/contract'
import type { PageCursor } from '../../../../shared/schemas'

interface Row {
  id: string
  author: string
  text: string
  ts: number
  mine: number
  status: MomentStatus
}

const COLUMNS = 'id, author, text, ts, mine, status'
const toMoment = (r: Row): Moment => ({ id: r.id, author: r.author, text: r.text, ts: r.ts, mine: r.mine === 1, status: r.status })

/**
 * The `moments` and `follows` tables. The feed is what I posted and what the
 * people I follow now posted; authors I stopped following keep their rows (they
 * come back if I follow again) but are left out of the feed.
 */
export class MomentStore {
  private readonly q

  constructor(db: Database.Database) {
    // Authors are passed as one JSON array: the set changes with every follow.
    const shown = `(mine = 1 OR author IN (SELECT value FROM json_each(@authors)))`
    this.q = {
      insert: db.prepare(
        `INSERT INTO moments (id, author, text, ts, mine, status, received_at) VALUES (@id, @author, @text, @ts, @mine, @status, @now)
         ON CONFLICT (id) DO NOTHING`,
      ),
      get: db.prepare(`SELECT ${COLUMNS} FROM moments WHERE id = ?`),
      setStatus: db.prepare(`UPDATE moments SET status = ? WHERE id = ? AND mine = 1 AND status != ? RETURNING ${COLUMNS}`),
      latest: db.prepare(`SELECT ${COLUMNS} FROM moments WHERE ${shown} ORDER BY ts DESC, id DESC LIMIT @limit`),
      before: db.prepare(
        `SELECT ${COLUMNS} FROM moments WHERE ${shown} AND (ts < @ts OR (ts = @ts AND id < @id))
         ORDER BY ts DESC, id DESC LIMIT @limit`,
      ),
      choices: db.prepare(`SELECT user, following FROM follows`),
      choose: db.prepare(
        `INSERT INTO follows (user, following, updated_at) VALUES (?, ?, ?)
         ON CONFLICT (user) DO UPDATE SET following = excluded.following, updated_at = excluded.updated_at`,
      ),
    }
  }

  /** Stores a moment unless its id is known already; true when it is new. */
  insert(m: Moment, now = Date.now()): boolean {
    return this.q.insert.run({ ...m, mine: m.mine ? 1 : 0, now }).changes > 0
  }

  get(id: string): Moment | null {
    const r = this.q.get.get(id) as Row | undefined
    return r ? toMoment(r) : null
  }

  /** Moves one of my moments to `status`; the moment when it changed. */
  setStatus(id: string, status: MomentStatus): Moment | null {
    const r = this.q.setStatus.get(status, id, status) as Row | undefined
    return r ? toMoment(r) : null
  }

  /** Newest first: mine and those of `authors`, older than `before` when given. */
  page(authors: readonly string[], before: PageCursor | null | undefined, limit: number): MomentsPage {
    const params = { authors: JSON.stringify(authors), limit: limit + 1 }
    const rows = (before ? this.q.before.all({ ...params, ts: before.ts, id: before.id }) : this.q.latest.all(params)) as Row[]
    return { moments: rows.slice(0, limit).map(toMoment), hasMore: rows.length > limit }
  }

  /** Whom I chose to follow (true) or not (false); others follow the default. */
  choices(): Map<string, boolean> {
    const rows = this.q.choices.all() as { user: string; following: number }[]
    return new Map(rows.map((r) => [r.user, r.following === 1]))
  }

  choose(user: string, following: boolean, now = Date.now()): void {
    this.q.choose.run(user, following ? 1 : 0, now)
  }
}
