/**
 * The I/O glue between window.parley and the stores: loads state, listens to
 * events, and runs the actions components ask for. Stores hold state only.
 */
import type { ChatMessage } from '../../shared/contract'
import type { AccountSetup } from '../../shared/schemas'
import { parley } from './api'
import { useAccountStore } from './stores/account'
import { useConversationsStore } from './stores/conversations'
import { useMessagesStore } from './stores/messages'

const PAGE = 50

export function useSession() {
  const account = useAccountStore()
  const conversations = useConversationsStore()
  const messages = useMessagesStore()
  const api = parley()

  const windowActive = () => document.visibilityState === 'visible' && document.hasFocus()

  async function markReadIfOpen(conversationId: string) {
    const c = conversations.byId.get(conversationId)
    if (conversations.selectedId === conversationId && windowActive() && c && c.unread > 0) {
      await api.conversations.markRead(conversationId)
    }
  }

  function onMessage(m: ChatMessage) {
    messages.upsert(m)
    if (m.direction === 'in') void markReadIfOpen(m.conversationId)
  }

  async function start() {
    api.on('account', (s) => account.setState(s))
    api.on('connection', (c) => (account.connection = c))
    api.on('conversation', (c) => {
      conversations.upsert(c)
      void markReadIfOpen(c.id)
    })
    api.on('message', onMessage)
    window.addEventListener('focus', () => {
      if (conversations.selectedId) void markReadIfOpen(conversations.selectedId)
    })
    try {
      account.setState(await api.account.getState())
      conversations.replaceAll(await api.conversations.list())
    } catch (err) {
      account.loadError = err instanceof Error ? err.message : String(err)
    }
  }

  async function setup(input: AccountSetup) {
    account.setState(await api.account.setup(input))
    conversations.replaceAll(await api.conversations.list())
  }

  async function loadOlder(conversationId: string) {
    const t = messages.thread(conversationId)
    if (t.loading || (t.loaded && !t.hasMore)) return
    t.loading = true
    try {
      const oldest = t.loaded ? t.messages[0] : undefined
      const page = await api.messages.page({ conversationId, before: oldest ? { ts: oldest.ts, id: oldest.id } : null, limit: PAGE })
      messages.prepend(conversationId, page.messages, page.hasMore)
    } finally {
      t.loading = false
    }
  }

  async function select(conversationId: string) {
    conversations.select(conversationId)
    if (!messages.thread(conversationId).loaded) await loadOlder(conversationId)
    await markReadIfOpen(conversationId)
  }

  async function startConversation(peer: string) {
    const c = await api.conversations.open(peer)
    conversations.upsert(c)
    await select(c.id)
  }

  async function send(conversationId: string, text: string) {
    messages.upsert(await api.messages.send({ conversationId, text }))
  }

  const reconnect = () => api.account.reconnect()

  return { start, setup, select, loadOlder, startConversation, send, reconnect }
}
