import type Database from 'better-sqlite3'
import type { PhoneMatch } from '../../../../shared/contract'

/** Matches of earlier discoveries (migration 0014). */
export class PhoneMatchStore {
  private readonly q

  constructor(db: Database.Database) {
    this.q = {
      put: db.prepare(
        `INSERT INTO phone_matches (number, user, name, found_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (number) DO UPDATE SET user = excluded.user, name = coalesce(excluded.name, phone_matches.name), found_at = excluded.found_at`,
      ),
      forget: db.prepare(`DELETE FROM phone_matches WHERE number = ?`),
      all: db.prepare(`SELECT number, name, user FROM phone_matches ORDER BY coalesce(name, user), number`),
    }
  }

  /** Records what one discovery learnt: a match, or that a number no longer has one. */
  record(matches: readonly PhoneMatch[]): void {
    const now = Date.now()
    for (const m of matches) {
      if (m.user) this.q.put.run(m.number, m.user, m.name, now)
      else this.q.forget.run(m.number)
    }
  }

  all(): PhoneMatch[] {
    return this.q.all.all() as PhoneMatch[]
  }
}
