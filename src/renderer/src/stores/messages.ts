import { defineStore } from 'pinia'
import { ref } from 'vue'
import type { ChatMessage, MessagePage } from '../../../shared/contract'

export interface Thread {
  /** Oldest first, ordered like the engine's pages: by ts, then id. */
  messages: ChatMessage[]
  /** There are older messages than the first one here. */
  hasMore: boolean
  loading: boolean
  /** The newest page has been read at least once. */
  loaded: boolean
  error: string | null
}

function compare(a: ChatMessage, b: ChatMessage): number {
  return a.ts - b.ts || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
}

/** An answer that raced a 'sent' event must not turn the message back to pending. */
function newerOf(current: ChatMessage | undefined, next: ChatMessage): ChatMessage {
  return current && current.status === 'sent' && next.status === 'pending' ? { ...next, status: 'sent' } : next
}

/** Message history per conversation, as far as it has been read. State only. */
export const useMessagesStore = defineStore('messages', () => {
  const threads = ref<Record<string, Thread>>({})

  function thread(conversationId: string): Thread {
    if (!threads.value[conversationId]) {
      threads.value[conversationId] = { messages: [], hasMore: false, loading: false, loaded: false, error: null }
    }
    return threads.value[conversationId]!
  }

  /** Adds a message or replaces the one with the same id (pending → sent), keeping the order. */
  function upsert(m: ChatMessage): void {
    const list = thread(m.conversationId).messages
    const at = list.findLastIndex((x) => x.id === m.id)
    const next = newerOf(list[at], m)
    if (at >= 0 && list[at]!.ts === next.ts) {
      list[at] = next
      return
    }
    if (at >= 0) list.splice(at, 1)
    let i = list.length
    while (i > 0 && compare(list[i - 1]!, next) > 0) i--
    list.splice(i, 0, next)
  }

  /**
   * Merges a page into the thread. `older`: the page came from before the first
   * message, so it also says whether there is more; a newest page only says so the
   * first time (later ones refresh the tail).
   */
  function addPage(conversationId: string, page: MessagePage, older: boolean): void {
    const t = thread(conversationId)
    if (!older && t.loaded && page.hasMore && !page.messages.some((m) => t.messages.some((x) => x.id === m.id))) {
      // A newest page that does not touch what we hold leaves a gap (we were away
      // for more than a page): start over from it rather than show a hole.
      t.messages = [...page.messages]
      t.hasMore = true
      t.error = null
      return
    }
    const merged = new Map(t.messages.map((m) => [m.id, m]))
    for (const m of page.messages) merged.set(m.id, newerOf(merged.get(m.id), m))
    t.messages = [...merged.values()].sort(compare)
    if (older || !t.loaded) t.hasMore = page.hasMore
    t.loaded = true
    t.error = null
  }

  function setLoading(conversationId: string, loading: boolean, error: string | null = null): void {
    const t = thread(conversationId)
    t.loading = loading
    t.error = error
  }

  /** Drops what is held for a conversation; it is read again when next opened. */
  function forget(conversationId: string): void {
    delete threads.value[conversationId]
  }

  return { threads, thread, upsert, addPage, setLoading, forget }
})
