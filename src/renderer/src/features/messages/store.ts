import { defineStore } from 'pinia'
import { ref } from 'vue'
import type { ChatMessage, MessagePage } from '../../../../shared/contract'
import { laterStatus } from './status'

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

/** `next` replaces `current`, except that its status never goes back (an answer that raced a 'delivered' event). */
function newerOf(current: ChatMessage | undefined, next: ChatMessage): ChatMessage {
  if (!current) return next
  const status = laterStatus(current.status, next.status)
  // A kept status is above pending/failed, so it carries no error.
  return status === next.status ? next : { ...next, status, error: null }
}

/** Message history per conversation, as far as it has been read. State only. */
export const useMessagesStore = defineStore('messages', () => {
  const threads = ref<Record<string, Thread>>({})
  /** Ids removed here: a late event or page must not bring them back. */
  const removed = new Set<string>()

  function thread(conversationId: string): Thread {
    if (!threads.value[conversationId]) {
      threads.value[conversationId] = { messages: [], hasMore: false, loading: false, loaded: false, error: null }
    }
    return threads.value[conversationId]!
  }

  /** Adds a message or replaces the one with the same id (pending → sent), keeping the order. */
  function upsert(m: ChatMessage): void {
    if (removed.has(m.id)) return
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
      t.messages = page.messages.filter((m) => !removed.has(m.id))
      t.hasMore = true
      t.error = null
      return
    }
    const merged = new Map(t.messages.map((m) => [m.id, m]))
    for (const m of page.messages) if (!removed.has(m.id)) merged.set(m.id, newerOf(merged.get(m.id), m))
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

  /** Takes a message out of its thread (deleted here, "delete for me"). */
  function remove(conversationId: string, id: string): void {
    removed.add(id)
    const t = threads.value[conversationId]
    if (!t) return
    const at = t.messages.findIndex((m) => m.id === id)
    if (at >= 0) t.messages.splice(at, 1)
  }

  /** Drops what is held for a conversation; it is read again when next opened. */
  function forget(conversationId: string): void {
    delete threads.value[conversationId]
  }

  return { threads, thread, upsert, addPage, setLoading, remove, forget }
})
