import type { IPublishPacket } from 'mqtt'
import type { EnvelopeOf, EnvelopeType } from '../../../shared/protocol/envelope'
import { parseInboxTopic } from '../../../shared/protocol/topics'
import type { Account } from '../kernel/feature'
import type { Logger } from '../kernel/log'
import type { Codec } from './codec'

export interface InboxItem<T extends EnvelopeType> {
  packet: IPublishPacket
  /** The sender, from the topic's last level (the envelope agrees with it). */
  from: string
  envelope: EnvelopeOf<T>
  /** Plain text from a non-Parley client: the envelope (and its id) was made here. */
  plain: boolean
}

/**
 * Decodes what arrived on one of my inbox topics (`R/me/Inbox/{kind}/{from}`):
 * envelopes of `type` whose sender matches the topic. Anything else — another
 * inbox, myself posing on my own inbox, a payload that does not decode — is
 * logged with its reason (`what` names it) and left out.
 */
export function decodeInbox<T extends EnvelopeType>(
  ctx: { codec: Codec; log: Logger; account: Account },
  packets: readonly IPublishPacket[],
  type: T,
  what: string,
  plainText = false,
): InboxItem<T>[] {
  const { account, log } = ctx
  const items: InboxItem<T>[] = []
  for (const packet of packets) {
    const t = parseInboxTopic(account.root, packet.topic)
    if (!t || t.to !== account.user) {
      log.warn(`dropped ${what}`, { topic: packet.topic, reason: 'not my inbox' })
      continue
    }
    if (t.from === account.user) {
      // Nobody but another device of mine could send this, and linked devices mirror
      // through their own path: here it would be someone posing as me.
      log.warn(`dropped ${what}`, { topic: packet.topic, reason: 'a message from myself on my own inbox' })
      continue
    }
    const decoded = ctx.codec.decode(packet.topic, packet.payload as Uint8Array, type, t.from, plainText)
    if (!decoded.ok) {
      log.warn(`dropped ${what}`, { topic: packet.topic, reason: decoded.reason })
      continue
    }
    items.push({ packet, from: t.from, envelope: decoded.envelope, plain: decoded.plain })
  }
  return items
}
