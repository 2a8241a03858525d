import { z } from 'zod'
import type { MessageRequestSettings } from '../../../../shared/contract'
import { ConversationIdSchema, dmConversationId } from '../../../../shared/protocol/conversation-id'
import { ParleyError } from '../../../../shared/rpc'
import { defineFeature } from '../../kernel/feature'
import type { ContactsApi } from '../contacts/api'
import type { ConversationsApi } from '../conversations'
import type { MessagesApi } from '../messages/api'

const ANYONE_PREF = 'messageRequests.acceptFromAnyone'

/**
 * Message requests (as in Signal): a 1:1 conversation that someone who is not my
 * contact starts lands in the 'requests' folder — no notification, no read
 * receipts — until I accept it, reply in it, or we become contacts. Unless I let
 * anyone in, or I asked them to be my contact.
 */
export const messageRequestsFeature = defineFeature({
  name: 'messageRequests',
  dependsOn: ['conversations', 'messages', 'contacts'],
  create(ctx) {
    const conversations = ctx.use<ConversationsApi>('conversations')
    const messages = ctx.use<MessagesApi>('messages')
    const contacts = ctx.use<ContactsApi>('contacts')
    let acceptFromAnyone = ctx.prefs.get(ANYONE_PREF, z.boolean(), false)
    const settings = (): MessageRequestSettings => ({ acceptFromAnyone })

    conversations.store.addFolderRule(({ kind, peer }) => {
      if (kind !== 'dm' || acceptFromAnyone) return null
      const state = contacts.state(peer)
      return state === 'contact' || state === 'outgoing' ? null : 'requests'
    })

    /** Moves a message request into the conversation list (a no-op for one there already). */
    const toInbox = (conversationId: string): void => {
      if (conversations.store.setFolder(conversationId, 'inbox')) conversations.announce(conversationId)
    }

    // We became contacts, or I asked them: their conversation is no request any more.
    contacts.onChange(({ changed }) => {
      for (const c of changed) if (c.state === 'contact' || c.state === 'outgoing') toInbox(dmConversationId(c.user))
    })

    // Replying is accepting, here or on another device of mine (its reply arrives mirrored, already sent).
    ctx.events.on('message', (m) => {
      if (m.direction === 'out' && conversations.store.get(m.conversationId)?.folder === 'requests') toInbox(m.conversationId)
    })

    const request = (conversationId: string) => {
      const id = ConversationIdSchema.parse(conversationId)
      const c = conversations.store.get(id)
      if (!c) throw new ParleyError('That conversation is not in this history.', 'not-found')
      return c
    }

    return {
      // Signing out with the history deleted empties prefs: the next account starts from the default.
      onAccount() {
        acceptFromAnyone = ctx.prefs.get(ANYONE_PREF, z.boolean(), false)
      },
      service: {
        async list() {
          return conversations.store.list().filter((c) => c.folder === 'requests')
        },
        async accept(conversationId) {
          const c = request(conversationId)
          toInbox(c.id)
          return conversations.store.get(c.id)!
        },
        async remove(conversationId) {
          const c = request(conversationId)
          if (c.folder !== 'requests') throw new ParleyError('That conversation is not a message request.', 'invalid-argument')
          messages.removeConversation(c.id)
          ctx.events.emit('conversationRemoved', { conversationId: c.id })
        },
        async settings() {
          return settings()
        },
        async setAcceptFromAnyone(on) {
          acceptFromAnyone = z.boolean().parse(on)
          ctx.prefs.set(ANYONE_PREF, acceptFromAnyone)
          return settings()
        },
      },
    }
  },
})
