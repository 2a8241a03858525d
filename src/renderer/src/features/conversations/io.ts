/** The conversations feature's I/O: the list, opening and selecting, and telling the engine what was read. */
import { inject, type InjectionKey } from 'vue'
import { warn } from '../../ui/errors'
import { windowHasFocus } from '../../ui/focus'
import { AccountActionsKey } from '../account'
import type { FeatureContext } from '../feature'
import { useConversationsStore } from './store'

export interface ConversationsActions {
  /** Finds or creates the conversation with `peer` and opens it. */
  open(peer: string): Promise<void>
  select(conversationId: string | null): void
  /** Tells the engine the conversation was read, if it is open and the window has focus. */
  markReadIfSeen(conversationId: string): void
}

export const ConversationsActionsKey: InjectionKey<ConversationsActions> = Symbol('parley-conversations')

export function useConversationsActions(): ConversationsActions {
  const actions = inject(ConversationsActionsKey)
  if (!actions) throw new Error('The conversations feature is not installed.')
  return actions
}

export function setupConversations(ctx: FeatureContext): void {
  const { api } = ctx
  const store = useConversationsStore(ctx.pinia)
  const account = ctx.inject(AccountActionsKey)

  async function load(): Promise<void> {
    store.replaceAll(await api.conversations.list())
  }

  /** id → whether another markRead is wanted once the running one ends. */
  const reading = new Map<string, boolean>()
  function markRead(conversationId: string): void {
    store.clearUnread(conversationId)
    if (reading.has(conversationId)) {
      reading.set(conversationId, true)
      return
    }
    reading.set(conversationId, false)
    api.conversations
      .markRead(conversationId)
      .catch(warn('marking the conversation read'))
      .finally(() => {
        const again = reading.get(conversationId)
        reading.delete(conversationId)
        if (again) markRead(conversationId)
      })
  }

  const isOpenAndSeen = (conversationId: string) => store.selectedId === conversationId && windowHasFocus()

  function onFocus(): void {
    const c = store.selected
    if (c && c.unread > 0 && windowHasFocus()) markRead(c.id)
  }

  function select(conversationId: string | null): void {
    store.select(conversationId)
    if (conversationId) markRead(conversationId)
  }

  ctx.onStop(account.onSignedIn(load))
  ctx.onStop(account.onReconnected(() => void load().catch(warn('reloading conversations'))))
  ctx.onStop(
    api.on('conversation', (c) => {
      store.upsert(c)
      if (c.unread > 0 && isOpenAndSeen(c.id)) markRead(c.id)
    }),
  )
  window.addEventListener('focus', onFocus)
  document.addEventListener('visibilitychange', onFocus)
  ctx.onStop(() => {
    window.removeEventListener('focus', onFocus)
    document.removeEventListener('visibilitychange', onFocus)
  })

  ctx.provide(ConversationsActionsKey, {
    async open(peer) {
      const c = await api.conversations.open(peer)
      store.upsert(c)
      select(c.id)
    },
    select,
    markReadIfSeen(conversationId) {
      if (isOpenAndSeen(conversationId)) markRead(conversationId)
    },
  })
}
