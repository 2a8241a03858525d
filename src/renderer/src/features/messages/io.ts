/** The messages feature's I/O: history pages, sending, retrying and deleting, and message events. */
import { inject, type InjectionKey } from 'vue'
import type { ChatMessage } from '../../../../shared/contract'
import { errorMessage } from '../../ui/errors'
import { AccountActionsKey } from '../account'
import { ConversationsActionsKey, useConversationsStore } from '../conversations'
import type { FeatureContext } from '../feature'
import { useMessagesStore } from './store'

/** Messages per history page. */
export const PAGE_SIZE = 50

export interface MessagesActions {
  /** Reads the newest page of a conversation the first time it is shown. */
  open(conversationId: string): void
  loadOlder(conversationId: string): Promise<void>
  /** Reads the newest page again, after a failure. */
  reload(conversationId: string): Promise<void>
  send(conversationId: string, text: string): Promise<void>
  /** Puts a failed message back in the outbox. */
  retry(message: ChatMessage): Promise<void>
  /** Deletes a message from this history ("delete for me"). */
  remove(message: ChatMessage): Promise<void>
}

export const MessagesActionsKey: InjectionKey<MessagesActions> = Symbol('parley-messages')

export function useMessagesActions(): MessagesActions {
  const actions = inject(MessagesActionsKey)
  if (!actions) throw new Error('The messages feature is not installed.')
  return actions
}

export function setupMessages(ctx: FeatureContext): void {
  const { api } = ctx
  const store = useMessagesStore(ctx.pinia)
  const conversations = useConversationsStore(ctx.pinia)
  const conversationActions = ctx.inject(ConversationsActionsKey)
  const account = ctx.inject(AccountActionsKey)

  async function loadPage(conversationId: string, older: boolean): Promise<void> {
    const t = store.thread(conversationId)
    if (t.loading) return
    const first = t.messages[0]
    if (older && (!t.hasMore || !first)) return
    store.setLoading(conversationId, true)
    try {
      const page = await api.messages.page({
        conversationId,
        before: older && first ? { ts: first.ts, id: first.id } : null,
        limit: PAGE_SIZE,
      })
      store.addPage(conversationId, page, older)
      store.setLoading(conversationId, false)
    } catch (err) {
      store.setLoading(conversationId, false, errorMessage(err))
    }
  }

  ctx.onStop(
    api.on('message', (m) => {
      // A conversation not opened yet reads its newest page when it is opened; holding every
      // event for it would only make that first render slow (a burst of thousands after a trip).
      const t = store.threads[m.conversationId]
      if (t && (t.loaded || t.loading)) store.upsert(m)
      if (m.direction === 'in') conversationActions.markReadIfSeen(m.conversationId)
    }),
  )
  ctx.onStop(api.on('messageRemoved', ({ conversationId, id }) => store.remove(conversationId, id)))
  // After a reconnect, catch up on what may have been missed while away.
  ctx.onStop(
    account.onReconnected(() => {
      const id = conversations.selectedId
      // Other conversations may have missed events too: read them afresh when opened.
      for (const other of Object.keys(store.threads)) if (other !== id) store.forget(other)
      if (id && store.thread(id).loaded) void loadPage(id, false)
    }),
  )

  ctx.provide(MessagesActionsKey, {
    open(conversationId) {
      if (!store.thread(conversationId).loaded) void loadPage(conversationId, false)
    },
    loadOlder: (conversationId) => loadPage(conversationId, true),
    reload: (conversationId) => loadPage(conversationId, false),
    async send(conversationId, text) {
      store.upsert(await api.messages.send({ conversationId, text }))
    },
    async retry(message) {
      store.upsert(await api.messages.retry(message.id))
    },
    async remove(message) {
      await api.messages.remove(message.id)
      store.remove(message.conversationId, message.id)
    },
  })
}
