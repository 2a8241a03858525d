import type { IPublishPacket } from 'mqtt'
import { conversationId } from '../../../../shared/protocol/conversation-id'
import { parseBroadcastTopic } from '../../../../shared/protocol/broadcasts'
import { SYSTEM_NAME } from '../../../../shared/protocol/names'
import { MAX_PAYLOAD_BYTES, MAX_TEXT_LENGTH } from '../../../../shared/schemas'
import type { Account } from '../../kernel/feature'
import type { Logger } from '../../kernel/log'
import { newMessageId, type Codec } from '../../protocol/codec'
import type { ForeignMessage } from '../messages/api'

const utf8 = new TextDecoder('utf-8', { fatal: true })
/** How far ahead of our clock a broadcast's timestamp may be before it is capped (as for direct messages). */
const MAX_CLOCK_SKEW_MS = 5 * 60_000

/**
 * Reads broadcasts that arrived on `R/System/{region}`: a text envelope (sent by
 * the admin named in `from`: the topic has no sender level, so only the broker's
 * ACL on who may write there vouches for it) or plain UTF-8 text from any tool,
 * shown as from "System". Each becomes an incoming message of `system:{region}`;
 * anything else is logged with its reason and dropped.
 */
export function readBroadcasts(ctx: { account: Account; codec: Codec; log: Logger }, packets: readonly IPublishPacket[]): ForeignMessage[] {
  const out: ForeignMessage[] = []
  const now = Date.now()
  for (const packet of packets) {
    const drop = (reason: string): void => ctx.log.warn('dropped a broadcast', { topic: packet.topic, reason })
    const region = parseBroadcastTopic(ctx.account.root, packet.topic)
    if (!region) {
      drop('not a broadcast topic')
      continue
    }
    const payload = packet.payload as Uint8Array
    if (payload.byteLength > MAX_PAYLOAD_BYTES) {
      drop(`payload of ${payload.byteLength} bytes is over ${MAX_PAYLOAD_BYTES}`)
      continue
    }
    let text: string
    try {
      text = utf8.decode(payload)
    } catch {
      drop('payload is not UTF-8 text')
      continue
    }
    const base = { conversationId: conversationId('system', region) }
    if (text.trim().startsWith('{')) {
      const decoded = ctx.codec.decode(packet.topic, payload, 'text', claimedSender(text), false)
      if (!decoded.ok) {
        drop(decoded.reason)
        continue
      }
      const e = decoded.envelope
      out.push({ ...base, id: e.id, sender: e.from, ts: Math.min(e.ts, now + MAX_CLOCK_SKEW_MS), text: e.body.text })
      continue
    }
    if (text.trim().length === 0) drop('empty message')
    else if (text.length > MAX_TEXT_LENGTH) drop(`text is over ${MAX_TEXT_LENGTH} characters`)
    else out.push({ ...base, id: newMessageId(), sender: SYSTEM_NAME, ts: now, text })
  }
  return out
}

/** The `from` an envelope claims (the codec then checks it is a valid name and everything else); '' when there is none. */
function claimedSender(json: string): string {
  try {
    const from = (JSON.parse(json) as { from?: unknown } | null)?.from
    return typeof from === 'string' ? from : ''
  } catch {
    return ''
  }
}
