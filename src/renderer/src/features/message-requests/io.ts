/** The message requests feature's I/O: accepting or deleting a conversation someone who is not a contact started. */
import { inject, type InjectionKey } from 'vue'
import { BlockingActionsKey } from '../blocking'
import { useConversationsStore } from '../conversations'
import type { FeatureContext } from '../feature'

export interface MessageRequestsActions {
  /** Moves the request into the conversation list. */
  accept(conversationId: string): Promise<void>
  /** Deletes the request and its messages. */
  remove(conversationId: string): Promise<void>
  /** Asks how to block `peer` (the block dialog); once blocked, deletes the request. Resolves true when it did. */
  blockAndRemove(conversationId: string, peer: string): Promise<boolean>
}

export const MessageRequestsActionsKey: InjectionKey<MessageRequestsActions> = Symbol('parley-message-requests')

export function useMessageRequestsActions(): MessageRequestsActions {
  const actions = inject(MessageRequestsActionsKey)
  if (!actions) throw new Error('The message requests feature is not installed.')
  return actions
}

export function setupMessageRequests(ctx: FeatureContext): void {
  const { api } = ctx
  // The request conversations arrive with the conversation list and its `conversation` events (folder 'requests').
  const conversations = useConversationsStore(ctx.pinia)
  const blocking = ctx.inject(BlockingActionsKey)

  async function remove(conversationId: string): Promise<void> {
    await api.messageRequests.remove(conversationId)
    conversations.remove(conversationId)
  }

  // Deleted by the engine (here, or for a block): gone from every list.
  ctx.onStop(api.on('conversationRemoved', ({ conversationId }) => conversations.remove(conversationId)))

  ctx.provide(MessageRequestsActionsKey, {
    async accept(conversationId) {
      conversations.upsert(await api.messageRequests.accept(conversationId))
    },
    remove,
    async blockAndRemove(conversationId, peer) {
      if (!(await blocking.askToBlock(peer))) return false
      await remove(conversationId)
      return true
    },
  })
}
