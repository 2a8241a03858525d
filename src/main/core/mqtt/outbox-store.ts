import type Database from 'better-sqlite3'

/** One stored publish, as the `outbox` table holds it. */
export interface OutboxRow {
  rowid: number
  owner: string
  ref: string
  topic: string
  payload: Buffer
  state: 'queued' | 'acked' | 'failed'
  /** 1: offered again after the PUBACK until confirmed (see StoredPublish.reoffer). */
  reoffer: number
  /** Disconnections while it was in flight (a suspect when > 0). */
  drops: number
  offers: number
  created_at: number
}

/** What `enqueue` stores. */
export interface NewOutboxRow {
  owner: string
  ref: string
  topic: string
  payload: Buffer
  reoffer: boolean
}

/** The typed query layer over the `outbox` table, for the Publisher. */
export class OutboxStore {
  private readonly q

  constructor(db: Database.Database) {
    this.q = {
      upsert: db.prepare(
        `INSERT INTO outbox (owner, ref, topic, payload, state, reoffer, drops, offers, next_offer_at, created_at)
         VALUES (@owner, @ref, @topic, @payload, 'queued', @reoffer, 0, 0, NULL, @now)
         ON CONFLICT (owner, ref) DO UPDATE SET topic = excluded.topic, payload = excluded.payload, state = 'queued', drops = 0`,
      ),
      queued: db.prepare(`SELECT * FROM outbox WHERE state = 'queued' ORDER BY rowid`),
      firstSuspect: db.prepare(`SELECT * FROM outbox WHERE state = 'queued' AND drops > 0 ORDER BY rowid LIMIT 1`),
      byRowid: db.prepare(`SELECT * FROM outbox WHERE rowid = ?`),
      acked: db.prepare(`UPDATE outbox SET state = 'acked', drops = 0, offers = offers + 1, next_offer_at = ? WHERE rowid = ? AND state = 'queued'`),
      offered: db.prepare(`UPDATE outbox SET offers = offers + 1, next_offer_at = ? WHERE rowid = ?`),
      remove: db.prepare(`DELETE FROM outbox WHERE rowid = ?`),
      failed: db.prepare(`UPDATE outbox SET state = 'failed' WHERE rowid = ?`),
      dropped: db.prepare(`UPDATE outbox SET drops = drops + 1 WHERE rowid = ? AND state = 'queued' RETURNING drops`),
      suspect: db.prepare(`UPDATE outbox SET drops = max(drops, 1) WHERE rowid = ? AND state = 'queued'`),
      forget: db.prepare(`DELETE FROM outbox WHERE owner = ? AND ref = ?`),
      retry: db.prepare(`UPDATE outbox SET state = 'queued', drops = 0 WHERE owner = ? AND ref = ? AND state = 'failed'`),
      reofferable: db.prepare(`SELECT * FROM outbox WHERE state = 'acked' AND reoffer = 1 ORDER BY rowid`),
      reofferDue: db.prepare(`SELECT * FROM outbox WHERE state = 'acked' AND reoffer = 1 AND next_offer_at <= ? ORDER BY rowid`),
      reofferTo: db.prepare(`SELECT * FROM outbox WHERE state = 'acked' AND reoffer = 1 AND topic = ? ORDER BY rowid`),
      nextOffer: db.prepare(`SELECT min(next_offer_at) AS at FROM outbox WHERE state = 'acked' AND reoffer = 1`),
      expire: db.prepare(`DELETE FROM outbox WHERE state = 'acked' AND reoffer = 1 AND created_at < ? RETURNING owner, ref`),
    }
  }

  /** Stores a publish as queued; one with the same (owner, ref) is replaced and queued again. */
  upsert(item: NewOutboxRow, now: number): void {
    this.q.upsert.run({ ...item, reoffer: item.reoffer ? 1 : 0, now })
  }

  queued(): OutboxRow[] {
    return this.q.queued.all() as OutboxRow[]
  }

  /** The oldest queued publish that was in flight when a connection dropped. */
  firstSuspect(): OutboxRow | undefined {
    return this.q.firstSuspect.get() as OutboxRow | undefined
  }

  byRowid(rowid: number): OutboxRow | undefined {
    return this.q.byRowid.get(rowid) as OutboxRow | undefined
  }

  /** The broker has it; offered again from `nextOfferAt` until confirmed. */
  acked(rowid: number, nextOfferAt: number): void {
    this.q.acked.run(nextOfferAt, rowid)
  }

  offered(rowid: number, nextOfferAt: number): void {
    this.q.offered.run(nextOfferAt, rowid)
  }

  remove(rowid: number): void {
    this.q.remove.run(rowid)
  }

  failed(rowid: number): void {
    this.q.failed.run(rowid)
  }

  /** Counts one more drop of a queued publish: how many it has now (undefined if it is not queued). */
  dropped(rowid: number): number | undefined {
    return (this.q.dropped.get(rowid) as { drops: number } | undefined)?.drops
  }

  /** Marks a queued publish as a suspect (sent on its own next time). */
  suspect(rowid: number): void {
    this.q.suspect.run(rowid)
  }

  /** Forgets (owner, ref) whatever its state. */
  forget(owner: string, ref: string): void {
    this.q.forget.run(owner, ref)
  }

  /** Queues a failed publish again; false when there was none. */
  retry(owner: string, ref: string): boolean {
    return this.q.retry.run(owner, ref).changes > 0
  }

  /** Every acknowledged publish that waits to be confirmed. */
  reofferable(): OutboxRow[] {
    return this.q.reofferable.all() as OutboxRow[]
  }

  /** Those whose next offer is due at `now`. */
  reofferDue(now: number): OutboxRow[] {
    return this.q.reofferDue.all(now) as OutboxRow[]
  }

  reofferTo(topic: string): OutboxRow[] {
    return this.q.reofferTo.all(topic) as OutboxRow[]
  }

  /** When the next offer is due (null: none waits). */
  nextOffer(): number | null {
    return (this.q.nextOffer.get() as { at: number | null }).at
  }

  /** Stops offering what was stored before `before` (the re-offer window is over). */
  expire(before: number): void {
    this.q.expire.run(before)
  }
}
