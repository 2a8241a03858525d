import type { ChatMessage, ParleyServices } from '../../../shared/contract'
import { PageQuerySchema, SendInputSchema } from '../../../shared/contract'
import { NameSchema } from '../../../shared/names'
import { ConversationIdSchema } from '../../../shared/schemas'
import { ParleyError } from '../../../shared/rpc'
import { peerOf } from '../../../shared/topics'
import { textEnvelope } from '../protocol/codec'
import type { ParleyCore } from '../engine'

/**
 * The service objects the contract declares, over one engine. Arguments are parsed
 * again here (not only at the IPC edge) because the CLI and tests call in directly.
 */
export function createServices(core: ParleyCore): ParleyServices {
  const requireUser = (): string => {
    const user = core.user
    if (!user) throw new ParleyError('Set up Parley first: choose a user name and a broker.', 'not-configured')
    return user
  }

  return {
    account: {
      async getState() {
        return core.accountState()
      },
      async setup(input) {
        const current = core.user
        if (current && current !== input.user && core.store.listConversations().length > 0) {
          throw new ParleyError(
            `This history belongs to ${current}. To use Parley as ${input.user}, start it with another data directory (--data-dir).`,
            'invalid-argument',
          )
        }
        return core.configure(input)
      },
      async reconnect() {
        requireUser()
        core.reconnectNow()
      },
    },

    conversations: {
      async list() {
        return core.store.listConversations()
      },
      async open(peer) {
        requireUser()
        const conversation = core.store.openConversation(NameSchema.parse(peer))
        core.announceConversation(conversation.id)
        return conversation
      },
      async markRead(conversationId) {
        if (core.store.markRead(ConversationIdSchema.parse(conversationId))) core.announceConversation(conversationId)
      },
    },

    messages: {
      async page(query) {
        const q = PageQuerySchema.parse(query)
        return core.store.page(q.conversationId, q.before, q.limit)
      },
      async send(input): Promise<ChatMessage> {
        const user = requireUser()
        const { conversationId, text } = SendInputSchema.parse(input)
        const peer = NameSchema.parse(peerOf(conversationId))
        const id = core.store.transaction(() => {
          const e = textEnvelope(user, core.deviceId ?? 'unknown', text, core.store.nextSequence('out'))
          core.store.insert({ id: e.id, peer, sender: user, senderDevice: e.dev ?? null, direction: 'out', ts: e.ts, seq: e.seq ?? null, text, status: 'pending' })
          return e.id
        })
        core.announceMessage(id)
        core.flushOutbox()
        return core.store.getMessage(id)!
      },
    },
  }
}
