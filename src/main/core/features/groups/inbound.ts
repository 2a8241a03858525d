import type { IPublishPacket } from 'mqtt'
import type { ChatMessage } from '../../../../shared/contract'
import { parseConversationId } from '../../../../shared/protocol/conversation-id'
import { parseGroupTopic } from '../../../../shared/protocol/topics'
import type { Account } from '../../kernel/feature'
import type { AfterCommit } from '../../mqtt/router'
import type { ForeignMessage, MessagesApi } from '../messages/api'
import type { GroupsCore } from './core'
import { audience, findMember, mentionsIn } from './meta'
import { reconcileMeta, type MetaChanges } from './metadata'
import type { GroupReceipts } from './receipts'

/** How far ahead of our clock a sender's timestamp may be before it is capped (as for 1:1 messages). */
const MAX_CLOCK_SKEW_MS = 5 * 60_000

/**
 * What arrives on `R/{group}/#`: the metadata on `R/{group}` and the members'
 * messages on `R/{group}/{member}`, stored through the messages feature.
 */
export class GroupInbound {
  constructor(
    private readonly core: GroupsCore,
    private readonly messages: MessagesApi,
    private readonly receipts: GroupReceipts,
  ) {}

  handle(account: Account, packets: readonly IPublishPacket[]): AfterCommit {
    const { ctx, store } = this.core
    const meta: MetaChanges = { changed: new Set(), moves: [], gone: [] }
    const foreign: ForeignMessage[] = []
    const mirrored: ChatMessage[] = []
    const mentions = new Set<string>()
    const now = Date.now()
    for (const packet of packets) {
      const t = parseGroupTopic(account.root, packet.topic)
      const row = t && store.get(t.group)
      if (!t || !row) {
        this.core.drop('a group packet', packet.topic, 'not a group of mine')
        continue
      }
      const payload = packet.payload as Uint8Array
      if (t.member === null) {
        reconcileMeta(this.core, account, row, packet.topic, payload, now, meta)
        continue
      }
      // A message from t.member.
      if (packet.retain) {
        this.core.drop('a group message', packet.topic, 'a retained message (stale, or not from a member)')
        continue
      }
      if (row.membership !== 'member') {
        this.core.drop('a group message', packet.topic, `I am not a member of ${row.id} (${row.membership})`)
        continue
      }
      const decoded = ctx.codec.decode(packet.topic, payload, 'text', t.member)
      if (!decoded.ok) {
        this.core.drop('a group message', packet.topic, decoded.reason)
        continue
      }
      // Without a broker ACL anyone can publish here: only the members of the current metadata count.
      if (!findMember(row, t.member)) {
        this.core.drop('a group message', packet.topic, `${t.member} is not a member of ${row.id}`)
        continue
      }
      const e = decoded.envelope
      const cid = this.core.conversationOf(row.id)
      if (t.member === account.user) {
        // Mine, from another device of mine (or this one's own echo, already stored).
        const m = this.messages.storeMirrored({ id: e.id, conversationId: cid, senderDevice: e.dev ?? null, ts: e.ts, seq: e.seq ?? null, text: e.body.text })
        if (m) {
          mirrored.push(m)
          store.addMessage(e.id, row.id, account.user, audience(row, account.user))
        }
        continue
      }
      foreign.push({ id: e.id, conversationId: cid, sender: t.member, ts: Math.min(e.ts, now + MAX_CLOCK_SKEW_MS), text: e.body.text })
      store.addMessage(e.id, row.id, t.member, null)
      if (e.body.mentions?.includes(account.user) || mentionsIn(e.body.text, [account.user]).length) mentions.add(e.id)
    }
    const stored = foreign.length ? this.messages.storeForeign(foreign) : []
    const sendReceipts = this.receipts.delivered(account, foreign)
    return () => {
      for (const [id, before] of meta.moves) this.core.follow(id, before)
      for (const id of meta.gone) ctx.events.emit('groupRemoved', { id })
      for (const id of meta.changed) {
        this.core.emit(id)
        this.core.conversations.announce(this.core.conversationOf(id))
      }
      const shown = [...mirrored, ...stored]
      if (shown.length) this.messages.announce(shown)
      for (const m of stored) {
        if (!mentions.has(m.id)) continue
        const group = parseConversationId(m.conversationId)!.address
        ctx.events.emit('groupMention', { groupId: group, conversationId: m.conversationId, messageId: m.id, from: m.sender, text: m.text })
      }
      sendReceipts()
    }
  }
}
