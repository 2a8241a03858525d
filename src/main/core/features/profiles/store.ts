import type Database from 'better-sqlite3'
import type { Profile } from '../../../../shared/contract'

/** A profile's shown fields. */
export type ProfileFields = Pick<Profile, 'name' | 'status' | 'avatar' | 'email'>

interface Row {
  user: string
  name: string | null
  status: string | null
  avatar: string | null
  email: string | null
  ts: number
}

export const EMPTY_FIELDS: ProfileFields = { name: null, status: null, avatar: null, email: null }

/** The cache of other people's profiles (migration 0011). */
export class ProfileStore {
  private readonly q

  constructor(db: Database.Database) {
    this.q = {
      get: db.prepare(`SELECT user, name, status, avatar, email, ts FROM profiles WHERE user = ?`),
      name: db.prepare(`SELECT name FROM profiles WHERE user = ?`).pluck(),
      ts: db.prepare(`SELECT ts FROM profiles WHERE user = ?`).pluck(),
      put: db.prepare(
        `INSERT INTO profiles (user, name, status, avatar, email, ts, received_at) VALUES (@user, @name, @status, @avatar, @email, @ts, @now)
         ON CONFLICT (user) DO UPDATE SET name = excluded.name, status = excluded.status, avatar = excluded.avatar,
           email = excluded.email, ts = excluded.ts, received_at = excluded.received_at`,
      ),
      clear: db.prepare(`UPDATE profiles SET name = NULL, status = NULL, avatar = NULL, email = NULL, received_at = ? WHERE user = ?`),
    }
  }

  /** The cached profile of `user`, or one that says "never heard" (updatedAt null). */
  get(user: string): Profile {
    const r = this.q.get.get(user) as Row | undefined
    if (!r) return { user, ...EMPTY_FIELDS, updatedAt: null }
    return { user, name: r.name, status: r.status, avatar: r.avatar, email: r.email, updatedAt: r.ts }
  }

  name(user: string): string | null {
    return (this.q.name.get(user) as string | null | undefined) ?? null
  }

  /** The owner's time of the cached profile, or null. */
  ts(user: string): number | null {
    return (this.q.ts.get(user) as number | undefined) ?? null
  }

  put(user: string, fields: ProfileFields, ts: number): void {
    this.q.put.run({ user, ...fields, ts, now: Date.now() })
  }

  /** The retained profile was removed: forget its fields, keep its time. Returns whether there was one. */
  clear(user: string): boolean {
    return this.q.clear.run(Date.now(), user).changes > 0
  }
}
