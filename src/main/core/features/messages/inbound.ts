import type { IPublishPacket } from 'mqtt'
import { dmConversationId } from '../../../../shared/protocol/conversation-id'
import type { Account } from '../../kernel/feature'
import type { Logger } from '../../kernel/log'
import type { AfterCommit } from '../../mqtt/router'
import type { Codec } from '../../protocol/codec'
import { decodeInbox } from '../../protocol/inbox'
import type { ReceivedBatch } from './api'
import type { MessageStore, NewMessage } from './store'

/** How far ahead of our clock a sender's timestamp may be before it is capped. */
export const MAX_CLOCK_SKEW_MS = 5 * 60_000

export interface InboundContext {
  account: Account
  store: MessageStore
  codec: Codec
  log: Logger
  /** Runs after the commit and the acknowledgement. */
  announce(stored: ReceivedBatch['stored']): void
  listeners: readonly ((batch: ReceivedBatch) => AfterCommit)[]
}

/**
 * The receive path for one batch of 1:1 messages, inside the router's transaction:
 * decode → store → (the session acks when the transaction commits) → announce.
 * Undecodable payloads are logged and acknowledged so the broker does not deliver
 * them forever; a failed insert throws, which withholds the whole batch's acks.
 */
export function handleDirect(ctx: InboundContext, packets: readonly IPublishPacket[]): AfterCommit {
  const rows: NewMessage[] = []
  const plain = new Set<string>()
  const now = Date.now()
  for (const { envelope: e, plain: isPlain } of decodeInbox(ctx, packets, 'text', 'an incoming message', true)) {
    if (isPlain) plain.add(e.id)
    rows.push({
      id: e.id,
      conversationId: dmConversationId(e.from),
      sender: e.from,
      senderDevice: e.dev ?? null,
      direction: 'in',
      // The sender's clock orders the chat, but a clock from the future would pin the
      // conversation to the top and the message to the bottom for good.
      ts: Math.min(e.ts, now + MAX_CLOCK_SKEW_MS),
      seq: e.seq ?? null,
      text: e.body.text,
      status: 'received',
    })
  }
  if (rows.length === 0) return
  const stored = ctx.store.insertMany(rows)
  const batch: ReceivedBatch = { stored, idsBySender: idsToAcknowledge(ctx.store, rows, stored, plain) }
  const after = ctx.listeners.map((l) => l(batch)).filter((f): f is () => void => typeof f === 'function')
  return () => {
    if (stored.length) ctx.announce(stored)
    for (const f of after) f()
  }
}

/**
 * The ids a delivery receipt may confirm: every Parley message of the batch that is
 * now in the history under its sender (a re-offer of one stored earlier counts; an
 * id someone else already used does not).
 */
function idsToAcknowledge(
  store: MessageStore,
  rows: readonly NewMessage[],
  stored: ReceivedBatch['stored'],
  plain: ReadonlySet<string>,
): Map<string, string[]> {
  // id → the conversation it was stored in: someone reusing another's id in the same batch is not acknowledged.
  const fresh = new Map(stored.map((m) => [m.id, m.conversationId]))
  const bySender = new Map<string, string[]>()
  for (const r of rows) {
    if (plain.has(r.id)) continue // plain text from a non-Parley client: the id is ours, not the sender's
    // A message deleted here was delivered all the same: say so, or the sender keeps offering it.
    const storedIn = fresh.get(r.id) ?? store.conversationOf(r.id)
    if (storedIn !== r.conversationId) continue
    const list = bySender.get(r.sender)
    if (list) list.push(r.id)
    else bySender.set(r.sender, [r.id])
  }
  return bySender
}
