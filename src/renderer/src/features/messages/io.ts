/** The messages feature's I/O: history pages, sending, retrying and deleting, and message events. */
import { inject, watch, type InjectionKey } from 'vue'
import type { ChatMessage, MessagePage } from '../../../../shared/contract'
import type { PageCursor } from '../../../../shared/schemas'
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
  /** Reads the page after the last message held (a window opened in the middle, scrolled down). */
  loadNewer(conversationId: string): Promise<void>
  /** Reads the newest page again (after a failure, or to go to the latest from a window in the middle). */
  reload(conversationId: string): Promise<void>
  /**
   * Jump-to: holds the page around the message (instead of what is held, unless
   * it connects), selects the conversation, and has the list bring the message
   * into view, highlighted for a few seconds. Rejects when the message is not there.
   */
  openAt(conversationId: string, messageId: string): Promise<void>
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
  /** The conversation a jump-to is selecting: it lands where the jump says, not at its first unread. */
  let jumping: string | null = null
  /** Counts jump-to requests: one answered after a later one was asked for is dropped (the view goes where the person last asked). */
  let jumps = 0
  /** Jump-to pages being read now: the last one to answer ends the thread's loading. */
  let jumpsReading = 0

  /**
   * Runs a page request for the thread: loading meanwhile, and a failure recorded
   * on it. A page asked for next to what is held (`adjacent`: before the first or
   * after the last) is dropped when what is held was replaced meanwhile (a jump).
   */
  async function request(conversationId: string, read: () => Promise<MessagePage>, apply: (page: MessagePage) => void, adjacent = false): Promise<void> {
    const windowId = store.thread(conversationId).windowId
    store.setLoading(conversationId, true)
    try {
      const page = await read()
      if (!adjacent || store.thread(conversationId).windowId === windowId) apply(page)
      store.setLoading(conversationId, false)
    } catch (err) {
      store.setLoading(conversationId, false, errorMessage(err))
      throw err
    }
  }
  const quietly = (p: Promise<void>): Promise<void> => p.catch(() => {})

  function loadLatest(conversationId: string): Promise<void> {
    if (store.thread(conversationId).loading) return Promise.resolve()
    return quietly(
      request(
        conversationId,
        () => api.messages.page({ conversationId, limit: PAGE_SIZE }),
        (page) => store.addPage(conversationId, page, false),
      ),
    )
  }

  function loadOlder(conversationId: string): Promise<void> {
    const t = store.thread(conversationId)
    const first = t.messages[0]
    if (t.loading || !t.hasMore || !first) return Promise.resolve()
    return quietly(
      request(
        conversationId,
        () => api.messages.page({ conversationId, before: { ts: first.ts, id: first.id }, limit: PAGE_SIZE }),
        (page) => store.addPage(conversationId, page, true),
        true,
      ),
    )
  }

  function loadNewer(conversationId: string): Promise<void> {
    const t = store.thread(conversationId)
    const last = t.messages.at(-1)
    if (t.loading || !t.hasNewer || !last) return Promise.resolve()
    return quietly(
      request(
        conversationId,
        () => api.messages.page({ conversationId, after: { ts: last.ts, id: last.id }, limit: PAGE_SIZE }),
        (page) => store.addNewer(conversationId, page),
        true,
      ),
    )
  }

  /**
   * Opening a conversation with something new in it lands at the first unread,
   * with the "N new messages" divider there. This runs as the selection changes,
   * before the selection marks the conversation read: the first request goes out
   * ahead of that, so the engine still knows where the unread starts.
   */
  function land(conversationId: string): void {
    const unread = conversations.byId[conversationId]?.unread ?? 0
    const t = store.thread(conversationId)
    store.setUnreadMark(conversationId, null)
    if (unread === 0 || t.loading) {
      // Nothing new: the bottom, which a window left in the middle (a jump-to) does not reach.
      if (!t.loaded || t.hasNewer) void loadLatest(conversationId)
      return
    }
    void quietly(
      (async () => {
        const found: { first: PageCursor | null } = { first: null }
        await request(
          conversationId,
          () => api.messages.page({ conversationId, limit: PAGE_SIZE }),
          (page) => {
            const first = (found.first = page.firstUnread)
            // Further back than the newest page: the page around it is held instead (below).
            if (first && !page.messages.some((m) => m.id === first.id)) return
            store.addPage(conversationId, page, false)
            if (first) mark(conversationId, first.id, unread)
          },
        )
        const first = found.first
        if (!first || store.thread(conversationId).messages.some((m) => m.id === first.id)) return
        await request(
          conversationId,
          () => api.messages.page({ conversationId, around: first.id, limit: PAGE_SIZE }),
          (page) => {
            store.setWindow(conversationId, page)
            mark(conversationId, first.id, unread)
          },
        )
      })(),
    )
  }

  /** The divider before the first unread, and the list brought there. */
  function mark(conversationId: string, id: string, count: number): void {
    store.setUnreadMark(conversationId, { id, count })
    store.setAnchor(conversationId, { id, kind: 'unread' })
  }

  ctx.onStop(
    // 'sync': inside the selection, before it marks the conversation read (see land).
    watch(
      () => conversations.selectedId,
      (id) => {
        if (id && id !== jumping) land(id)
      },
      { flush: 'sync' },
    ),
  )
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
      // A window in the middle catches up as it is scrolled to the end.
      if (id && store.thread(id).loaded && !store.thread(id).hasNewer) void loadLatest(id)
    }),
  )

  ctx.provide(MessagesActionsKey, {
    open(conversationId) {
      const t = store.thread(conversationId)
      if (!t.loaded && !t.loading) void loadLatest(conversationId)
    },
    loadOlder,
    loadNewer,
    reload: loadLatest,
    async openAt(conversationId, messageId) {
      const mine = ++jumps
      const t = store.thread(conversationId)
      if (!t.messages.some((m) => m.id === messageId)) {
        const error = t.error
        store.setLoading(conversationId, true, error)
        jumpsReading++
        let page: MessagePage
        try {
          page = await api.messages.page({ conversationId, around: messageId, limit: PAGE_SIZE })
        } catch (err) {
          // The caller (a search result) says why; the thread is left as it was.
          if (--jumpsReading === 0) store.setLoading(conversationId, false, error)
          if (mine !== jumps) return
          throw err
        }
        if (--jumpsReading === 0) store.setLoading(conversationId, false, mine === jumps ? null : error)
        if (mine !== jumps) return
        store.setWindow(conversationId, page)
      }
      store.setAnchor(conversationId, { id: messageId, kind: 'jump' })
      // Coming from elsewhere the jump stands in for landing (which would have cleared it): a divider left from an earlier visit is stale.
      if (conversations.selectedId !== conversationId) store.setUnreadMark(conversationId, null)
      jumping = conversationId
      try {
        conversationActions.select(conversationId)
      } finally {
        jumping = null
      }
    },
    async send(conversationId, text) {
      const sent = await api.messages.send({ conversationId, text })
      // What I send goes at the end: a window in the middle goes to the newest first.
      if (store.thread(conversationId).hasNewer) store.addPage(conversationId, await api.messages.page({ conversationId, limit: PAGE_SIZE }), false)
      store.upsert(sent)
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
