import type { ConversationSummary } from '../../../../shared/contract'
import { NameSchema } from '../../../../shared/protocol/names'
import { ConversationIdSchema, dmConversationId, type ConversationKind } from '../../../../shared/protocol/conversation-id'
import { defineFeature } from '../../kernel/feature'
import { migration0004 } from './migrations/0004_conversation_kinds'
import { migration0008 } from './migrations/0008_conversation_folders'
import { ConversationStore } from './store'

/** What other features get from this one (through `dependsOn: ['conversations']`). */
export interface ConversationsApi {
  readonly store: ConversationStore
  /** Tells the UI a conversation changed; a burst of changes yields one event per conversation. */
  announce(id: string): void
  /** Called when the person has read a conversation (it is open and focused); `hadUnread`: it had unread messages until now. */
  onRead(listener: (conversationId: string, hadUnread: boolean) => void): void
  /** Called when a conversation is opened or created, e.g. to follow its peer's presence. */
  onOpened(listener: (conversation: ConversationSummary) => void): void
  peers(kind: ConversationKind): string[]
}

export type { FolderRule } from './store'

export const conversationsFeature = defineFeature({
  name: 'conversations',
  migrations: [migration0004, migration0008],
  create(ctx) {
    const store = new ConversationStore(ctx.db)
    const pending = new Set<string>()
    const readListeners: ((id: string, hadUnread: boolean) => void)[] = []
    const openListeners: ((c: ConversationSummary) => void)[] = []
    let closed = false

    const announce = (id: string): void => {
      if (pending.size === 0) {
        setImmediate(() => {
          const ids = [...pending]
          pending.clear()
          if (closed) return
          for (const cid of ids) {
            const c = store.get(cid)
            if (c) ctx.events.emit('conversation', c)
          }
        })
      }
      pending.add(id)
    }

    const api: ConversationsApi = {
      store,
      announce,
      onRead: (l) => void readListeners.push(l),
      onOpened: (l) => void openListeners.push(l),
      peers: (kind) => store.peers(kind),
    }

    return {
      api,
      service: {
        async list() {
          return store.list()
        },
        async open(peer) {
          ctx.requireAccount()
          const id = dmConversationId(NameSchema.parse(peer))
          store.ensure(id)
          const conversation = store.get(id)!
          announce(id)
          for (const l of openListeners) l(conversation)
          return conversation
        },
        async markRead(conversationId) {
          const id = ConversationIdSchema.parse(conversationId)
          const hadUnread = store.markRead(id)
          if (hadUnread) announce(id)
          for (const l of readListeners) l(id, hadUnread)
        },
      },
      close() {
        closed = true
      },
    }
  },
})
