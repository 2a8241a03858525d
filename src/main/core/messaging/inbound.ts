import type { IPublishPacket } from 'mqtt'
import type { Logger } from '../log'
import { decodeDirect } from '../protocol/codec'
import type { MessageStore } from '../store/message-store'

export interface InboundContext {
  root: string
  user: string
  store: MessageStore
  log: Logger
  /** Called after the store committed and the broker was acknowledged. */
  announce(messageId: string): void
}

/**
 * The receive path: decode → commit to SQLite → (MQTT.js sends the PUBACK when
 * this returns) → announce. Undecodable payloads are logged and acknowledged, so
 * the broker does not redeliver them forever; a failed commit throws, which
 * withholds the PUBACK so the message comes again.
 */
export function handleInbound(ctx: InboundContext, packet: IPublishPacket): void {
  const decoded = decodeDirect(ctx.root, ctx.user, packet.topic, packet.payload as Uint8Array)
  if (!decoded.ok) {
    ctx.log.warn('dropped an incoming message', { topic: packet.topic, reason: decoded.reason })
    return
  }
  const e = decoded.envelope
  const inserted = ctx.store.insert({
    id: e.id,
    peer: e.from,
    sender: e.from,
    senderDevice: e.dev ?? null,
    direction: e.from === ctx.user ? 'out' : 'in',
    ts: e.ts,
    seq: e.seq ?? null,
    text: e.body.text,
    status: e.from === ctx.user ? 'sent' : 'received',
  })
  if (inserted) setImmediate(() => ctx.announce(e.id))
}
