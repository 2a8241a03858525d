/**
 * The search feature's I/O: opening and closing the panel (also with Ctrl/Cmd+F and
 * Ctrl/Cmd+Shift+F), asking the engine as the person types, paging, and opening a
 * result in its conversation.
 *
 * Typing is debounced, and every query gets a sequence number: an answer that
 * arrives after a newer query was started is dropped, so a slow answer to "ca"
 * never replaces the one to "café". Nothing here throws at the UI: a failed call
 * becomes a message in the panel.
 */
import { inject, type InjectionKey } from 'vue'
import type { SearchHit } from '../../../../shared/contract'
import { errorMessage } from '../../ui/errors'
import { useConversationsStore } from '../conversations'
import type { FeatureContext } from '../feature'
import { MessagesActionsKey } from '../messages'
import { searchShortcut, type SearchScope } from './shortcuts'
import { useSearchStore } from './store'

/** Quiet time after a key press before the engine is asked. */
export const DEBOUNCE_MS = 120
/** Results per page. */
export const PAGE_LIMIT = 30

export interface SearchActions {
  /** Opens the panel on the open conversation ('conversation', if one is open) or on all; focuses its input. */
  open(scope: SearchScope): void
  close(): void
  /** Searches all conversations instead of the one it was scoped to. */
  widen(): void
  /** What the person typed: searched after a short pause (empty: the tips again). */
  input(text: string): void
  /** The next, older page of results, if there is one. */
  loadMore(): Promise<void>
  /** Opens `hit`'s conversation at that message, highlighted. */
  openHit(hit: SearchHit): Promise<void>
}

export const SearchActionsKey: InjectionKey<SearchActions> = Symbol('parley-search')

export function useSearchActions(): SearchActions {
  const actions = inject(SearchActionsKey)
  if (!actions) throw new Error('The search feature is not installed.')
  return actions
}

export function setupSearch(ctx: FeatureContext): void {
  const { api } = ctx
  const store = useSearchStore(ctx.pinia)
  const conversations = useConversationsStore(ctx.pinia)
  const messages = ctx.inject(MessagesActionsKey)
  /** Bumped by every new query (text or scope): answers carrying an older number are stale. */
  let generation = 0
  let timer: ReturnType<typeof setTimeout> | null = null

  function cancelTimer(): void {
    if (timer !== null) clearTimeout(timer)
    timer = null
  }

  async function firstPage(mine: number, text: string, scope: string | null): Promise<void> {
    try {
      const results = await api.search.search({ text, conversationId: scope, limit: PAGE_LIMIT })
      if (mine !== generation) return
      store.setResults(text, results, false)
    } catch (err) {
      if (mine !== generation) return
      store.clearResults()
      store.answered = text
      store.error = errorMessage(err)
    } finally {
      if (mine === generation) store.searching = false
    }
  }

  /** Starts a new query for the current text and scope; the old one's answers no longer count. */
  function restart(delay: number): void {
    cancelTimer()
    const mine = ++generation
    const text = store.text
    if (text.trim() === '') {
      store.clearResults()
      return
    }
    store.searching = true
    store.loadingMore = false
    const scope = store.scope
    if (delay <= 0) void firstPage(mine, text, scope)
    else timer = setTimeout(() => void firstPage(mine, text, scope), delay)
  }

  const actions: SearchActions = {
    open(scope) {
      const target = scope === 'conversation' ? conversations.selectedId : null
      const changed = !store.isOpen || target !== store.scope
      store.scope = target
      store.isOpen = true
      store.focusRequests++
      if (changed && store.text.trim() !== '') restart(0)
    },
    close() {
      if (!store.isOpen) return
      cancelTimer()
      store.isOpen = false
    },
    widen() {
      if (store.scope === null) return
      store.scope = null
      store.focusRequests++
      restart(0)
    },
    input(text) {
      if (text === store.text) return
      store.text = text
      restart(DEBOUNCE_MS)
    },
    async loadMore() {
      const cursor = store.next
      if (!cursor || store.loadingMore || store.searching) return
      const mine = generation
      const text = store.answered
      store.loadingMore = true
      try {
        const results = await api.search.search({ text, conversationId: store.scope, cursor, limit: PAGE_LIMIT })
        if (mine === generation) store.setResults(text, results, true)
      } catch (err) {
        if (mine === generation) store.error = errorMessage(err)
      } finally {
        if (mine === generation) store.loadingMore = false
      }
    },
    async openHit(hit) {
      try {
        // Selects the conversation, holds the page around the message, scrolls to it and highlights it.
        await messages.openAt(hit.message.conversationId, hit.message.id)
      } catch (err) {
        store.error = errorMessage(err)
      }
    },
  }
  ctx.provide(SearchActionsKey, actions)

  // The index caught up (or moved on a backlog): the count shown follows, and a search
  // made while messages were still waiting is asked again so it can find them.
  ctx.onStop(
    api.on('searchIndex', (status) => {
      const wasBehind = store.pending > 0
      store.pending = status.pending
      if (wasBehind && status.pending === 0 && store.isOpen && store.answered !== '' && !store.searching) restart(0)
    }),
  )

  const onKeydown = (e: KeyboardEvent): void => {
    // Keys pressed in a dialog (settings, a confirmation) are the dialog's: the panel would open behind it.
    const target = e.target as Partial<Element> | null
    if (typeof target?.closest === 'function' && target.closest('dialog') !== null) return
    // Esc that ends an input method's composition (Chinese, Japanese in the composer) is the IME's.
    if (e.key === 'Escape' && store.isOpen && !e.isComposing) {
      // Esc with the focus outside the panel (in the chat a result opened) closes it too, unless
      // something else took the key (the composer's suggestions): decided after every listener.
      setTimeout(() => e.defaultPrevented || actions.close())
      return
    }
    const scope = searchShortcut(e)
    if (scope === null) return
    // The browser's own find bar would otherwise open (or, in Electron, nothing would).
    e.preventDefault()
    actions.open(scope)
  }
  window.addEventListener('keydown', onKeydown)
  ctx.onStop(() => {
    window.removeEventListener('keydown', onKeydown)
    cancelTimer()
  })
}
