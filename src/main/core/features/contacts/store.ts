import type Database from 'better-sqlite3'
import type { Contact, ContactState } from '../../../../shared/contract'

/** What a row holds: the contract's states, and 'declined' (kept apart, never listed). */
export type StoredState = ContactState | 'declined'
export type Delivery = NonNullable<Contact['delivery']>

export interface ContactRow {
  user: string
  state: StoredState
  note: string | null
  since: number
  expiresAt: number | null
  /** The envelope id of the request this row is about (theirs, or mine). */
  requestId: string | null
  delivery: Delivery | null
  error: string | null
}

interface DbRow {
  user: string
  state: StoredState
  note: string | null
  since: number
  expires_at: number | null
  request_id: string | null
  delivery: Delivery | null
  error: string | null
}

const COLUMNS = 'user, state, note, since, expires_at, request_id, delivery, error'

const fromDb = (r: DbRow): ContactRow => ({
  user: r.user,
  state: r.state,
  note: r.note,
  since: r.since,
  expiresAt: r.expires_at,
  requestId: r.request_id,
  delivery: r.delivery,
  error: r.error,
})

/** The contract's view of a row; null for a declined request (not listed). */
export function toContact(r: ContactRow): Contact | null {
  if (r.state === 'declined') return null
  return {
    user: r.user,
    state: r.state,
    note: r.note,
    since: r.since,
    expiresAt: r.expiresAt,
    ...(r.delivery ? { delivery: r.delivery } : {}),
  }
}

/** The typed query layer over the contacts table (migration 0009). */
export class ContactStore {
  private readonly q

  constructor(db: Database.Database) {
    this.q = {
      get: db.prepare(`SELECT ${COLUMNS} FROM contacts WHERE user = ?`),
      put: db.prepare(
        `INSERT INTO contacts (user, state, note, since, expires_at, request_id, delivery, error)
         VALUES (@user, @state, @note, @since, @expiresAt, @requestId, @delivery, @error)
         ON CONFLICT(user) DO UPDATE SET state = excluded.state, note = excluded.note, since = excluded.since,
           expires_at = excluded.expires_at, request_id = excluded.request_id, delivery = excluded.delivery, error = excluded.error`,
      ),
      remove: db.prepare(`DELETE FROM contacts WHERE user = ?`),
      // Contacts first, then the newest request.
      list: db.prepare(`SELECT ${COLUMNS} FROM contacts WHERE state <> 'declined' ORDER BY state <> 'contact', since DESC, user`),
      ofState: db.prepare(`SELECT user FROM contacts WHERE state = ? ORDER BY since DESC, user`),
      count: db.prepare(`SELECT count(*) AS n FROM contacts WHERE state = ?`),
      // Beyond the newest `max` incoming requests.
      trimIncoming: db.prepare(
        `DELETE FROM contacts WHERE user IN (
           SELECT user FROM contacts WHERE state = 'incoming' ORDER BY since DESC, user LIMIT -1 OFFSET ?
         ) RETURNING user`,
      ),
      expire: db.prepare(`DELETE FROM contacts WHERE expires_at IS NOT NULL AND expires_at <= ? RETURNING user, state`),
      nextExpiry: db.prepare(`SELECT min(expires_at) AS at FROM contacts WHERE expires_at IS NOT NULL`),
      delivered: db.prepare(`UPDATE contacts SET delivery = ?, error = ? WHERE user = ? AND state = ? AND delivery = 'queued'`),
    }
  }

  get(user: string): ContactRow | null {
    const r = this.q.get.get(user) as DbRow | undefined
    return r ? fromDb(r) : null
  }

  state(user: string): StoredState | null {
    return this.get(user)?.state ?? null
  }

  put(row: ContactRow): void {
    this.q.put.run(row)
  }

  /** Returns true when there was a row. */
  remove(user: string): boolean {
    return this.q.remove.run(user).changes > 0
  }

  /** Contacts and pending requests in and out (not declined ones). */
  list(): Contact[] {
    return (this.q.list.all() as DbRow[]).map((r) => toContact(fromDb(r))!)
  }

  users(state: StoredState): string[] {
    return (this.q.ofState.all(state) as { user: string }[]).map((r) => r.user)
  }

  count(state: StoredState): number {
    return (this.q.count.get(state) as { n: number }).n
  }

  /** Drops the oldest incoming requests beyond the newest `max`; returns whose. */
  trimIncoming(max: number): string[] {
    return (this.q.trimIncoming.all(max) as { user: string }[]).map((r) => r.user)
  }

  /** Deletes every pending row that lapsed by `now`; returns them. */
  expire(now: number): { user: string; state: StoredState }[] {
    return this.q.expire.all(now) as { user: string; state: StoredState }[]
  }

  /** When the next pending row lapses (ms since epoch), or null. */
  nextExpiry(): number | null {
    return (this.q.nextExpiry.get() as { at: number | null }).at
  }

  /** The broker took (or refused) what I sent about `user`, while the row is still in `state`; true when it changed. */
  delivered(user: string, state: StoredState, outcome: 'sent' | 'failed', error: string | null = null): boolean {
    return this.q.delivered.run(outcome, error, user, state).changes > 0
  }
}
