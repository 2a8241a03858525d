import type { IPublishPacket } from 'mqtt'
import { z } from 'zod'
import { parseConversationId } from '../../../../shared/protocol/conversation-id'
import { MAX_RECEIPT_IDS } from '../../../../shared/protocol/envelope'
import { inboxTopic } from '../../../../shared/protocol/topics'
import type { Account } from '../../kernel/feature'
import type { AfterCommit } from '../../mqtt/router'
import { envelope, newMessageId } from '../../protocol/codec'
import { decodeInbox } from '../../protocol/inbox'
import type { MessagesApi } from '../messages/api'
import type { GroupsCore } from './core'
import { findMember } from './meta'

/** Read receipts go through the outbox under their own owner: a refused one is forgotten, not retried. */
const RECEIPTS_OWNER = 'groups-receipts'

type ReceiptKind = 'delivered' | 'read'

function chunks<T>(list: readonly T[], size: number): T[][] {
  const out: T[][] = []
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size))
  return out
}

/** Message ids by sender: each sender gets receipts only for their own messages. */
function bySender(messages: Iterable<{ id: string; sender: string }>): Map<string, string[]> {
  const out = new Map<string, string[]>()
  for (const { id, sender } of messages) {
    const list = out.get(sender)
    if (list) list.push(id)
    else out.set(sender, [id])
  }
  return out
}

/** Receipts for group messages go to the sender's inbox (`R/{sender}/Inbox/GRcpt/{member}`), who shows them as counts. */
export class GroupReceipts {
  constructor(
    private readonly core: GroupsCore,
    private readonly messages: MessagesApi,
  ) {
    core.ctx.publisher.register(RECEIPTS_OWNER, { failed: (ref) => core.ctx.publisher.cancel(RECEIPTS_OWNER, ref) })
    core.conversations.onRead((cid) => this.read(cid))
  }

  /**
   * Delivery receipts for messages that just arrived: only those whose sender is
   * who the group table says (a re-delivery counts). Read inside the transaction;
   * the returned step publishes (ephemeral: a lost one is not worth a retry).
   */
  delivered(account: Account, arrived: readonly { id: string; sender: string }[]): () => void {
    const owed = bySender(arrived.filter((f) => this.core.store.message(f.id)?.sender === f.sender))
    return () => {
      for (const { topic, payload } of this.envelopes(account, 'delivered', owed)) this.core.ctx.publisher.publish(topic, payload, { qos: 1 }).catch(() => {})
    }
  }

  /** Receipts from members for my group messages: counted per member. */
  handle(account: Account, packets: readonly IPublishPacket[]): AfterCommit {
    const { ctx, store } = this.core
    const changed = new Map<string, { groupId: string; members: number }>()
    for (const { from, envelope: e } of decodeInbox({ codec: ctx.codec, log: ctx.log, account }, packets, 'receipt', 'a group receipt')) {
      for (const id of e.body.ids) {
        const m = store.message(id)
        if (!m || m.sender !== account.user) continue
        const row = store.get(m.groupId)
        if (!row || !findMember(row, from)) continue
        if (store.receipt(id, from, e.body.kind === 'read')) changed.set(id, { groupId: m.groupId, members: m.members ?? 0 })
      }
    }
    if (changed.size) return () => changed.forEach((c, id) => ctx.events.emit('groupReceipts', store.counts(id, c.groupId, c.members)))
  }

  /** Read receipts when I read a group conversation (unless I turned read receipts off). */
  private read(cid: string): void {
    const { ctx, store } = this.core
    const c = parseConversationId(cid)
    const account = ctx.account()
    if (!account || c?.kind !== 'group' || store.get(c.address)?.membership !== 'member') return
    const ids = this.messages.markSeen(cid)
    if (!ids.length || !ctx.prefs.get('receipts.sendRead', z.boolean(), true)) return
    const theirs = ids.flatMap((id) => {
      const sender = store.message(id)?.sender
      return sender && sender !== account.user ? [{ id, sender }] : []
    })
    const owed = bySender(theirs)
    ctx.db.transaction(() => {
      for (const { topic, payload } of this.envelopes(account, 'read', owed)) ctx.publisher.enqueue({ owner: RECEIPTS_OWNER, ref: newMessageId(), topic, payload })
    })()
  }

  /** One receipt per sender and at most MAX_RECEIPT_IDS ids. */
  private *envelopes(account: Account, kind: ReceiptKind, owed: Map<string, string[]>): Generator<{ topic: string; payload: Buffer }> {
    for (const [sender, ids] of owed) {
      for (const part of chunks(ids, MAX_RECEIPT_IDS)) {
        const topic = inboxTopic(account.root, 'GRcpt', sender, account.user)
        yield { topic, payload: this.core.ctx.codec.encode(envelope('receipt', account.user, { kind, ids: part }, { dev: account.deviceId }), topic) }
      }
    }
  }
}
