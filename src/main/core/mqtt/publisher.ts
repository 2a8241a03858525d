import type Database from 'better-sqlite3'
import type { Logger } from '../kernel/log'
import { OutboxStore, type OutboxRow as Row } from './outbox-store'
import type { MqttSession, PublishOptions } from './session'

/** What the owner of stored publishes is told about them. */
export interface OutboxHandlers {
  /** The broker has it (PUBACK). */
  acked?(ref: string): void
  /** The broker refused it, or it got the connection dropped twice in a row: it will not be sent again unless retried. */
  failed?(ref: string, reason: string): void
  /**
   * When the publish stops mattering (ms since epoch), or null: an MQTT 5 broker gets
   * what is left as Message Expiry (it drops the message if undelivered by then), and
   * once past it is not sent any more but forgotten (a friend request that lapsed).
   */
  expiresAt?(ref: string): number | null
}

export interface StoredPublish {
  /** The feature that owns it, and its own id for it: (owner, ref) is unique. */
  owner: string
  ref: string
  topic: string
  payload: Buffer
  /**
   * Keep offering it again after the broker acknowledged it, on every connection and
   * at growing intervals, until the owner `confirm`s it (a delivery receipt) or it is
   * older than the re-offer window. For messages to someone who may have no broker
   * session yet: the broker acknowledges and drops what nobody subscribes to.
   */
  reoffer?: boolean
}

export interface PublisherOptions {
  /** First re-offer interval; each next one doubles. */
  reofferBaseMs: number
  /** How long an unconfirmed publish keeps being offered. */
  reofferWindowMs: number
}

export const DEFAULT_PUBLISHER_OPTIONS: PublisherOptions = { reofferBaseMs: 60_000, reofferWindowMs: 7 * 24 * 3600_000 }

type Outcome = 'acked' | 'refused' | 'lost' | 'expired'

/** MQTT 5 PUBACK reason codes, in words a person can act on. */
const REFUSALS: Record<number, string> = {
  0x80: 'The broker refused the message.',
  0x83: 'The broker refused the message.',
  0x87: 'The broker does not allow you to send this (not authorized).',
  0x90: 'The broker refused the topic name.',
  0x97: 'The broker is over its quota; try again later.',
  0x99: 'The broker refused the message format.',
}

/** Disconnections with a publish alone in flight after which it is taken for the cause and marked failed. */
const MAX_DROPS = 2
/**
 * A broker that refuses a packet hangs up at once; a connection lost later (a
 * keepalive timeout, a laptop going to sleep) says nothing about what was in flight.
 */
const DROP_WINDOW_MS = 3000

function deferred<T>(): { promise: Promise<T>; resolve: (v: T) => void } {
  let resolve!: (v: T) => void
  const promise = new Promise<T>((r) => (resolve = r))
  return { promise, resolve }
}

/**
 * The kernel's publisher. Stored publishes live in the `outbox` table before they
 * go out, so they survive a crash or a dropped connection, and are published at
 * QoS 1 until acknowledged. Ephemeral publishes (typing, presence, delivery
 * receipts) are never stored and are dropped when offline.
 *
 * A publish that was in flight when the connection dropped becomes a suspect: on
 * the next connection suspects go out one at a time after the others, so a
 * message that makes the broker hang up (a topic it rejects) is found and marked
 * failed instead of blocking everything behind it on every reconnect.
 */
export class Publisher {
  private readonly handlers = new Map<string, OutboxHandlers>()
  /** rowid → the attempt in flight on the current connection, and when it went out. */
  private readonly inflight = new Map<number, { token: symbol; sentAt: number }>()
  /**
   * Settles when the current connection is lost. MQTT.js (clean: false) never settles
   * the callback of a publish whose connection dropped, so waiting attempts race this.
   */
  private connectionLost = deferred<'lost'>()
  /** Counts connections, so a drain left over from an earlier one knows it is stale. */
  private generation = 0
  private flushQueued = false
  private draining = false
  private offerTimer: NodeJS.Timeout | null = null
  private closed = false
  private readonly store: OutboxStore

  constructor(
    private readonly db: Database.Database,
    private readonly session: () => MqttSession | null,
    private readonly log: Logger,
    private readonly opts: PublisherOptions = DEFAULT_PUBLISHER_OPTIONS,
  ) {
    this.store = new OutboxStore(db)
  }

  register(owner: string, handlers: OutboxHandlers): void {
    this.handlers.set(owner, handlers)
  }

  /** Stores a publish (inside the caller's transaction, if any) and sends it as soon as connected. */
  enqueue(item: StoredPublish): void {
    this.store.upsert({ ...item, reoffer: item.reoffer === true }, Date.now())
    this.scheduleFlush()
  }

  /** The owner has what it waited for (a delivery receipt): stop offering it. */
  confirm(owner: string, ref: string): void {
    this.store.forget(owner, ref)
  }

  /** Forget a publish whatever its state (the message was deleted). */
  cancel(owner: string, ref: string): void {
    this.store.forget(owner, ref)
  }

  /** Puts a failed publish back in the queue; returns false when there was none. */
  retry(owner: string, ref: string): boolean {
    const changed = this.store.retry(owner, ref)
    if (changed) this.scheduleFlush()
    return changed
  }

  /** Offers again now everything unconfirmed on `topic` (its recipient just came online). */
  reofferTopic(topic: string): void {
    if (!this.session()?.connected) return
    for (const row of this.store.reofferTo(topic)) this.offer(row)
  }

  /** Ephemeral: straight to the broker, never stored; rejects when offline. */
  publish(topic: string, payload: Buffer | string, opts: PublishOptions): Promise<void> {
    const s = this.session()
    if (!s) return Promise.reject(new Error('not connected'))
    return s.publish(topic, payload, opts)
  }

  /**
   * On every connection: MQTT.js does not carry unacknowledged publishes over a
   * reconnect, so everything queued goes out again (receivers drop duplicates by
   * id), and every unconfirmed publish is offered again.
   */
  onConnected(): void {
    this.inflight.clear()
    this.generation++
    this.connectionLost = deferred()
    this.expireOffers()
    this.flush()
    for (const row of this.store.reofferable()) this.offer(row)
    this.scheduleOffers()
  }

  /**
   * The connection dropped. What was published just before becomes a suspect (sent
   * on its own next time); one that was alone in flight and dropped twice is taken
   * for the cause and fails. Unless we cut the connection ourselves.
   */
  onDisconnected(byUs = false): void {
    const lost = [...this.inflight]
    this.inflight.clear()
    this.connectionLost.resolve('lost')
    // No re-offers while offline: the next connection offers everything anyway.
    if (this.offerTimer) clearTimeout(this.offerTimer)
    this.offerTimer = null
    if (byUs) return
    const now = Date.now()
    const recent = lost.filter(([, a]) => now - a.sentAt <= DROP_WINDOW_MS).map(([rowid]) => rowid)
    if (recent.length === 1) {
      const drops = this.store.dropped(recent[0]!)
      if (drops !== undefined && drops >= MAX_DROPS) this.fail(recent[0]!, 'The broker closed the connection each time this was sent.')
      return
    }
    for (const rowid of recent) this.store.suspect(rowid)
  }

  flush(): void {
    const s = this.session()
    if (this.closed || !s?.connected) return
    const clean: Promise<Outcome>[] = []
    let suspects = false
    for (const row of this.store.queued()) {
      if (row.drops > 0) suspects = true
      else clean.push(this.send(row))
    }
    if (suspects) void this.drainSuspects(Promise.all(clean))
  }

  close(): void {
    this.closed = true
    if (this.offerTimer) clearTimeout(this.offerTimer)
    this.offerTimer = null
  }

  private scheduleFlush(): void {
    if (this.flushQueued) return
    this.flushQueued = true
    // After the caller's transaction commits: a row rolled back is simply not found.
    setImmediate(() => {
      this.flushQueued = false
      this.flush()
    })
  }

  /** Suspects go out one at a time, after the others have their outcome and each after the previous one's. */
  private async drainSuspects(others: Promise<unknown>): Promise<void> {
    if (this.draining) return
    this.draining = true
    const generation = this.generation
    try {
      await others
      for (;;) {
        if (this.closed || !this.session()?.connected) return
        const row = this.store.firstSuspect()
        if (!row || this.inflight.has(row.rowid)) return
        if ((await this.send(row)) === 'lost') return
      }
    } finally {
      this.draining = false
      // A new connection began while this one wound down: its flush found us busy, so go again.
      if (generation !== this.generation) this.scheduleFlush()
    }
  }

  private send(row: Row): Promise<Outcome> {
    const s = this.session()
    if (!s?.connected || this.inflight.has(row.rowid)) return Promise.resolve('lost')
    const expirySeconds = this.expiryOf(row)
    if (expirySeconds === 'expired') return Promise.resolve('expired')
    const attempt = { token: Symbol(row.ref), sentAt: Date.now() }
    this.inflight.set(row.rowid, attempt)
    const settle = () => {
      if (this.inflight.get(row.rowid) === attempt) this.inflight.delete(row.rowid)
    }
    const outcome = s.publish(row.topic, row.payload, { qos: 1, expirySeconds }).then(
      () => {
        settle()
        this.onAcked(row)
        return 'acked' as const
      },
      (err: Error & { code?: unknown }) => {
        settle()
        const code = typeof err.code === 'number' ? err.code : null
        if (code !== null && code >= 0x80) {
          this.fail(row.rowid, REFUSALS[code] ?? `The broker refused the message (reason ${code}).`)
          return 'refused' as const
        }
        this.log.info('publish stays queued', { owner: row.owner, ref: row.ref, reason: err.message })
        return 'lost' as const
      },
    )
    return Promise.race([outcome, this.connectionLost.promise])
  }

  private onAcked(row: Row): void {
    if (this.closed) return
    // One commit for the outbox row and the owner's own update (a message becoming 'sent').
    this.db.transaction(() => {
      if (row.reoffer) this.store.acked(row.rowid, Date.now() + this.opts.reofferBaseMs)
      else this.store.remove(row.rowid)
      this.notify(row.owner, (h) => h.acked?.(row.ref))
    })()
    if (row.reoffer) this.scheduleOffers()
  }

  private fail(rowid: number, reason: string): void {
    const row = this.store.byRowid(rowid)
    if (!row) return
    this.store.failed(rowid)
    this.log.warn('publish failed', { owner: row.owner, ref: row.ref, reason })
    this.notify(row.owner, (h) => h.failed?.(row.ref, reason))
  }

  /** A re-offer: published again as is; its outcome only moves the next offer further out. */
  private offer(row: Row): void {
    const s = this.session()
    if (!s?.connected) return
    const expirySeconds = this.expiryOf(row)
    if (expirySeconds === 'expired') return
    const next = Date.now() + this.opts.reofferBaseMs * 2 ** Math.min(row.offers, 20)
    this.store.offered(row.rowid, next)
    s.publish(row.topic, row.payload, { qos: 1, expirySeconds }).catch(() => {})
  }

  /** Seconds left before the owner's expiry (undefined: none), or 'expired' once past, when the row is forgotten. */
  private expiryOf(row: Row): number | undefined | 'expired' {
    const h = this.handlers.get(row.owner)
    if (!h?.expiresAt) return undefined
    let at: number | null
    try {
      at = h.expiresAt(row.ref)
    } catch (err) {
      this.log.error('outbox handler failed', { owner: row.owner, error: (err as Error).message })
      return undefined
    }
    if (at === null) return undefined
    // Rounded down: a copy the broker holds must not outlive the owner's expiry.
    const left = Math.floor((at - Date.now()) / 1000)
    if (left > 0) return left
    this.store.remove(row.rowid)
    this.log.info('publish expired unsent', { owner: row.owner, ref: row.ref })
    return 'expired'
  }

  private expireOffers(): void {
    this.store.expire(Date.now() - this.opts.reofferWindowMs)
  }

  private scheduleOffers(): void {
    if (this.offerTimer) clearTimeout(this.offerTimer)
    this.offerTimer = null
    // Offline, nothing can be offered: onConnected offers everything and arms the timer again.
    if (this.closed || !this.session()?.connected) return
    const at = this.store.nextOffer()
    if (at === null) return
    this.offerTimer = setTimeout(
      () => {
        this.offerTimer = null
        if (this.closed || !this.session()?.connected) return
        this.expireOffers()
        for (const row of this.store.reofferDue(Date.now())) this.offer(row)
        this.scheduleOffers()
      },
      Math.max(50, at - Date.now()),
    )
    this.offerTimer.unref()
  }

  private notify(owner: string, fn: (h: OutboxHandlers) => void): void {
    const h = this.handlers.get(owner)
    if (!h) return
    try {
      fn(h)
    } catch (err) {
      this.log.error('outbox handler failed', { owner, error: (err as Error).message })
    }
  }
}
