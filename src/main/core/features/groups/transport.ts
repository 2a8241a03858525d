import { parseConversationId } from '../../../../shared/protocol/conversation-id'
import { groupMemberTopic } from '../../../../shared/protocol/topics'
import { ParleyError } from '../../../../shared/rpc'
import { envelope } from '../../protocol/codec'
import type { MessagesApi } from '../messages/api'
import type { GroupsCore } from './core'
import { audience, mentionsIn } from './meta'
import type { GroupRow } from './store'

/** My group messages go out through the messages feature, on `R/{group}/{me}`; each is remembered for its receipt counts. */
export function registerGroupTransport(core: GroupsCore, messages: MessagesApi): void {
  const { ctx, store } = core
  const memberRow = (group: string): GroupRow => {
    const row = store.get(group)
    if (!row || row.membership !== 'member') throw new ParleyError('You are not a member of that group.')
    return row
  }
  messages.registerTransport('group', {
    topic: (account, address) => groupMemberTopic(account.root, memberRow(address).id, account.user),
    reoffer: false, // one publish reaches every member's session
    encode(account, address, m) {
      const row = memberRow(address)
      const mentions = mentionsIn(m.text, row.members.map((p) => p.user).filter((u) => u !== account.user))
      const topic = groupMemberTopic(account.root, row.id, account.user)
      const e = envelope('text', account.user, { text: m.text, ...(mentions.length ? { mentions } : {}) }, { id: m.id, ts: m.ts, ...(m.senderDevice ? { dev: m.senderDevice } : {}), ...(m.seq !== null ? { seq: m.seq } : {}) })
      return ctx.codec.encode(e, topic)
    },
  })
  messages.onSent((m) => {
    const c = parseConversationId(m.conversationId)
    const row = c?.kind === 'group' ? store.get(c.address) : null
    if (row) store.addMessage(m.id, row.id, core.me(), audience(row, core.me()))
  })
}
