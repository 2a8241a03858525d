import type { IPublishPacket } from 'mqtt'
import { z } from 'zod'
import { MessageIdSchema } from '../../../../shared/protocol/envelope'
import { parseDeviceTopic, syncTopic } from '../../../../shared/protocol/topics'
import type { Account, FeatureContext } from '../../kernel/feature'
import type { AfterCommit } from '../../mqtt/router'
import { envelope, newMessageId } from '../../protocol/codec'
import type { SharedOrigin } from './api'
import { open, seal } from './key'
import type { DeviceStore } from './store'

/** What is sealed inside a `sync` envelope: the envelope's own id, so the header cannot be swapped. */
const ItemSchema = z.object({
  id: MessageIdSchema,
  kind: z.string().min(1).max(64),
  data: z.unknown(),
  ts: z.number().int().nonnegative(),
})
type Item = z.infer<typeof ItemSchema>

/** Largest sealed item (JSON bytes): its base64 must fit the envelope's 120,000 characters. */
const MAX_ITEM_BYTES = 88_000
/** Items older than this (by the sending device's clock) are dropped: a replay from long ago. */
export const MAX_ITEM_AGE_MS = 30 * 86_400_000
const OWNER = 'devices'

interface Handler {
  schema: z.ZodType<unknown>
  handle(data: unknown, origin: SharedOrigin): AfterCommit
}

/** This device's account, and the AES key of its device sync, while it is linked. */
export type Linked = { account: Account; key: Buffer } | null

/**
 * The private channel between the devices of one account: items sealed with the
 * account's device key (AES-256-GCM, the topic as additional data), published
 * through the stored outbox on `R/{me}/Sync/{my device}` and received on
 * `R/{me}/Sync/+`. Each item is applied once (its id is remembered), inside the
 * receive transaction, by the handler registered for its kind.
 */
export class SyncChannel {
  private readonly handlers = new Map<string, Handler>()
  private warnedUnlinked = false

  constructor(
    private readonly ctx: FeatureContext,
    private readonly store: DeviceStore,
    private readonly linked: () => Linked,
  ) {
    // An item my other devices will not get is not worth a retry: nothing waits for it here.
    ctx.publisher.register(OWNER, { failed: (ref) => ctx.publisher.cancel(OWNER, ref) })
  }

  register<T>(kind: string, schema: z.ZodType<T>, handle: (data: T, origin: SharedOrigin) => AfterCommit): void {
    if (this.handlers.has(kind)) throw new Error(`device sync kind "${kind}" is registered twice`)
    this.handlers.set(kind, { schema, handle: handle as Handler['handle'] })
  }

  /** Seals `data` for my other devices and puts it in the outbox; nothing while this device is not linked. */
  share(kind: string, data: unknown): void {
    const linked = this.linked()
    if (!linked) {
      if (!this.warnedUnlinked) this.ctx.log.info('not shared with other devices: this device is not linked', { kind })
      this.warnedUnlinked = true
      return
    }
    this.warnedUnlinked = false
    const { account } = linked
    const topic = syncTopic(account.root, account.user, account.deviceId)
    const payload = this.sealed(linked, topic, kind, data)
    if (payload) this.ctx.publisher.enqueue({ owner: OWNER, ref: payload.id, topic, payload: payload.bytes, reoffer: false })
  }

  /** A sealed `sync` envelope of one item for `topic` (also the device records), or null when it is too large. */
  sealed(linked: NonNullable<Linked>, topic: string, kind: string, data: unknown): { id: string; bytes: Buffer } | null {
    const { account, key } = linked
    const id = newMessageId()
    const ts = Date.now()
    const plain = Buffer.from(JSON.stringify({ id, kind, data, ts } satisfies Item))
    if (plain.byteLength > MAX_ITEM_BYTES) {
      this.ctx.log.warn('not shared with other devices: too large', { kind, bytes: plain.byteLength })
      return null
    }
    const e = envelope('sync', account.user, seal(key, topic, plain), { id, ts, dev: account.deviceId })
    return { id, bytes: this.ctx.codec.encode(e, topic) }
  }

  /**
   * Opens one packet of my own `Sync` or `Devices` topics: the item and the device it
   * came from, or null (logged) when it is not one — not mine, not sealed with our
   * key, altered, or its header and content disagree.
   */
  openPacket(linked: NonNullable<Linked>, p: IPublishPacket, what: string): { item: Item; origin: SharedOrigin } | null {
    const { account, key } = linked
    const drop = (reason: string): null => {
      this.ctx.log.warn(`dropped ${what}`, { topic: p.topic, reason })
      return null
    }
    const t = parseDeviceTopic(account.root, p.topic)
    if (!t || t.user !== account.user || t.device.length > 128) return drop('not one of my device topics')
    const decoded = this.ctx.codec.decode(p.topic, p.payload as Uint8Array, 'sync', account.user)
    if (!decoded.ok) return drop(decoded.reason)
    const e = decoded.envelope
    if (e.dev !== t.device) return drop(`the envelope's device ${e.dev ?? '(none)'} is not the topic's ${t.device}`)
    const plain = open(key, p.topic, e.body)
    if ('reason' in plain) return drop(plain.reason)
    let json: unknown
    try {
      json = JSON.parse(plain.toString('utf8'))
    } catch {
      return drop('sealed content is not JSON')
    }
    const item = ItemSchema.safeParse(json)
    if (!item.success) return drop(`sealed content is not an item: ${item.error.issues[0]?.message ?? 'invalid'}`)
    if (item.data.id !== e.id) return drop('sealed id does not match the envelope')
    return { item: item.data, origin: { device: t.device, ts: item.data.ts } }
  }

  /**
   * Applies one item with its kind's handler, in a savepoint: a handler that throws
   * loses its own writes (logged), not the batch's.
   */
  apply(item: Item, origin: SharedOrigin, topic: string): AfterCommit {
    const h = this.handlers.get(item.kind)
    if (!h) {
      this.ctx.log.warn('dropped a sync item', { topic, kind: item.kind, reason: 'no handler for this kind' })
      return
    }
    const data = h.schema.safeParse(item.data)
    if (!data.success) {
      const issue = data.error.issues[0]
      this.ctx.log.warn('dropped a sync item', { topic, kind: item.kind, reason: `invalid data: ${issue?.path.join('.') || 'data'}: ${issue?.message ?? 'invalid'}` })
      return
    }
    try {
      return this.ctx.db.transaction(() => h.handle(data.data, origin))()
    } catch (err) {
      this.ctx.log.error('a sync item handler failed', { kind: item.kind, error: (err as Error).message })
      return
    }
  }

  /**
   * The receive path of `R/{me}/Sync/+` (inside the batch's transaction): my own
   * echo is skipped; items from removed devices, too old, already applied, or that
   * do not open are dropped with a logged reason.
   */
  handle(packets: readonly IPublishPacket[], removed: (device: string) => boolean): AfterCommit {
    const after: (() => void)[] = []
    const now = Date.now()
    for (const p of packets) {
      const linked = this.linked()
      if (!linked) {
        this.ctx.log.info('dropped a sync item', { topic: p.topic, reason: 'this device is not linked (any more)' })
        continue
      }
      const t = parseDeviceTopic(linked.account.root, p.topic)
      if (t?.device === linked.account.deviceId) continue // my own echo
      if (t && removed(t.device)) {
        this.ctx.log.warn('dropped a sync item', { topic: p.topic, reason: 'from a removed device' })
        continue
      }
      const opened = this.openPacket(linked, p, 'a sync item')
      if (!opened) continue
      const { item, origin } = opened
      if (item.ts < now - MAX_ITEM_AGE_MS) {
        this.ctx.log.warn('dropped a sync item', { topic: p.topic, reason: 'older than 30 days' })
        continue
      }
      if (!this.store.firstTime(item.id, now)) {
        this.ctx.log.debug('skipped a sync item applied before', { topic: p.topic, id: item.id })
        continue
      }
      const f = this.apply(item, origin, p.topic)
      if (typeof f === 'function') after.push(f)
    }
    if (after.length) return () => after.forEach((f) => f())
  }
}
