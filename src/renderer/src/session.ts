/**
 * The renderer's I/O glue: the only module that calls `window.parley`. It runs the
 * API calls the views ask for and feeds results and engine events into the stores,
 * which hold state only. Components reach it through `useSession()`.
 */
import { inject, type InjectionKey } from 'vue'
import type { Pinia } from 'pinia'
import type { AccountSetup, ConnectionState, ParleyApi, Unsubscribe } from '../../shared/contract'
import { errorMessage } from './lib/errors'
import { windowHasFocus } from './lib/focus'
import { useAccountStore } from './stores/account'
import { useConversationsStore } from './stores/conversations'
import { useMessagesStore } from './stores/messages'

/** Messages per history page. */
export const PAGE_SIZE = 50

export interface Session {
  /** Subscribes to engine events (once) and reads the account state. Throws if the engine cannot be reached. */
  start(): Promise<void>
  stop(): void
  setup(input: AccountSetup): Promise<void>
  reconnect(): Promise<void>
  /** Finds or creates the conversation with `peer` and opens it. */
  openConversation(peer: string): Promise<void>
  select(conversationId: string | null): void
  loadOlder(conversationId: string): Promise<void>
  /** Retries reading the newest page after a failure. */
  reload(conversationId: string): Promise<void>
  send(conversationId: string, text: string): Promise<void>
}

export const SessionKey: InjectionKey<Session> = Symbol('parley-session')

export function useSession(): Session {
  const session = inject(SessionKey)
  if (!session) throw new Error('The Parley session was not provided to this component tree.')
  return session
}

function warn(what: string) {
  return (err: unknown) => console.warn(`parley: ${what} failed: ${errorMessage(err)}`)
}

export function createSession(api: ParleyApi, pinia?: Pinia): Session {
  const account = useAccountStore(pinia)
  const conversations = useConversationsStore(pinia)
  const messages = useMessagesStore(pinia)

  let unsubscribers: Unsubscribe[] = []
  let lastState: ConnectionState | null = null

  async function loadConversations(): Promise<void> {
    conversations.replaceAll(await api.conversations.list())
  }

  async function loadPage(conversationId: string, older: boolean): Promise<void> {
    const t = messages.thread(conversationId)
    if (t.loading) return
    const first = t.messages[0]
    if (older && (!t.hasMore || !first)) return
    messages.setLoading(conversationId, true)
    try {
      const page = await api.messages.page({
        conversationId,
        before: older && first ? { ts: first.ts, id: first.id } : null,
        limit: PAGE_SIZE,
      })
      messages.addPage(conversationId, page, older)
      messages.setLoading(conversationId, false)
    } catch (err) {
      messages.setLoading(conversationId, false, errorMessage(err))
    }
  }

  /** id → whether another markRead is wanted once the running one ends. */
  const reading = new Map<string, boolean>()
  function markRead(conversationId: string): void {
    conversations.clearUnread(conversationId)
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

  const isOpenAndSeen = (conversationId: string) => conversations.selectedId === conversationId && windowHasFocus()

  function onFocus(): void {
    const c = conversations.selected
    if (c && c.unread > 0 && windowHasFocus()) markRead(c.id)
  }

  /** After a reconnect, catch up on what may have been missed while away. */
  function refresh(): void {
    if (!account.configured) return
    loadConversations().catch(warn('reloading conversations'))
    const id = conversations.selectedId
    // Other conversations may have missed events too: read them afresh when opened.
    for (const other of Object.keys(messages.threads)) if (other !== id) messages.forget(other)
    if (id && messages.thread(id).loaded) void loadPage(id, false)
  }

  function subscribe(): void {
    if (unsubscribers.length) return
    unsubscribers = [
      api.on('connection', (status) => {
        account.setConnection(status)
        if (status.state === 'connected' && lastState !== null && lastState !== 'connected') refresh()
        lastState = status.state
      }),
      api.on('account', (state) => {
        const wasConfigured = account.configured
        account.setState(state)
        if (state.configured && !wasConfigured) loadConversations().catch(warn('loading conversations'))
      }),
      api.on('message', (m) => {
        // A conversation not opened yet reads its newest page when it is opened; holding every
        // event for it would only make that first render slow (a burst of thousands after a trip).
        const t = messages.threads[m.conversationId]
        if (t && (t.loaded || t.loading)) messages.upsert(m)
        if (m.direction === 'in' && isOpenAndSeen(m.conversationId)) markRead(m.conversationId)
      }),
      api.on('conversation', (c) => {
        conversations.upsert(c)
        if (c.unread > 0 && isOpenAndSeen(c.id)) markRead(c.id)
      }),
    ]
    window.addEventListener('focus', onFocus)
    document.addEventListener('visibilitychange', onFocus)
  }

  function select(conversationId: string | null): void {
    conversations.select(conversationId)
    if (!conversationId) return
    if (!messages.thread(conversationId).loaded) void loadPage(conversationId, false)
    markRead(conversationId)
  }

  return {
    async start() {
      subscribe()
      const state = await api.account.getState()
      account.setState(state)
      lastState = state.connection.state
      if (state.configured) await loadConversations()
    },

    stop() {
      for (const off of unsubscribers) off()
      unsubscribers = []
      window.removeEventListener('focus', onFocus)
      document.removeEventListener('visibilitychange', onFocus)
    },

    async setup(input) {
      const state = await api.account.setup(input)
      account.setState(state)
      if (state.configured) await loadConversations().catch(warn('loading conversations'))
    },

    async reconnect() {
      await api.account.reconnect()
    },

    async openConversation(peer) {
      const c = await api.conversations.open(peer)
      conversations.upsert(c)
      select(c.id)
    },

    select,

    loadOlder: (conversationId) => loadPage(conversationId, true),

    reload: (conversationId) => loadPage(conversationId, false),

    async send(conversationId, text) {
      messages.upsert(await api.messages.send({ conversationId, text }))
    },
  }
}
