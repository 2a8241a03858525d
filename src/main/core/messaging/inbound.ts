import type { IPublishPacket } from 'mqtt'
import type { ChatMessage } from '../../../shared/contract'
import type { Logger } from '../log'
import { decodeDirect } from '../protocol/codec'
import type { MessageStore, NewMessage } from '../store/message-store'

/** How far ahead of our clock a sender's timestamp may be before it is capped. */
export const MAX_CLOCK_SKEW_MS = 5 * 60_000

export interface InboundContext {
  root: string
  user: string
  store: MessageStore
  log: Logger
  /** Called after the store committed and the broker was acknowledged. */
  announce(messages: ChatMessage[]): void
}

/**
 * The receive path for one batch of PUBLISH packets: decode → one SQLite commit →
 * (the session sends the PUBACKs when this returns) → announce. Undecodable
 * payloads are logged and acknowledged, so the broker does not redeliver them
 * forever; a failed commit throws, which withholds every PUBACK of the batch so
 * the broker delivers them again.
 */
export function handleInbound(ctx: InboundContext, packets: readonly IPublishPacket[]): void {
  const rows: NewMessage[] = []
  const now = Date.now()
  for (const packet of packets) {
    if (packet.retain) {
      // Direct messages are never retained; a retained one in an inbox would come back on every reconnect.
      ctx.log.warn('dropped a retained message in the inbox', { topic: packet.topic })
      continue
    }
    const decoded = decodeDirect(ctx.root, ctx.user, packet.topic, packet.payload as Uint8Array)
    if (!decoded.ok) {
      ctx.log.warn('dropped an incoming message', { topic: packet.topic, reason: decoded.reason })
      continue
    }
    const e = decoded.envelope
    const mine = e.from === ctx.user
    // The sender's clock orders the chat, but a clock from the future would pin the
    // conversation to the top and the message to the bottom for good.
    const ts = Math.min(e.ts, now + MAX_CLOCK_SKEW_MS)
    rows.push({
      id: e.id,
      peer: e.from,
      sender: e.from,
      senderDevice: e.dev ?? null,
      direction: mine ? 'out' : 'in',
      ts,
      seq: e.seq ?? null,
      text: e.body.text,
      status: mine ? 'sent' : 'received',
    })
  }
  if (rows.length === 0) return
  const inserted = ctx.store.insertMany(rows)
  if (inserted.length) setImmediate(() => ctx.announce(inserted))
}
