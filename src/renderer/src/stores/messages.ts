import { defineStore } from 'pinia'
import { ref } from 'vue'
import type { ChatMessage } from '../../../shared/contract'

export interface Thread {
  /** Oldest first. */
  messages: ChatMessage[]
  hasMore: boolean
  loading: boolean
  loaded: boolean
}

const compare = (a: ChatMessage, b: ChatMessage) => a.ts - b.ts || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)

export const useMessagesStore = defineStore('messages', () => {
  const threads = ref(new Map<string, Thread>())

  function thread(conversationId: string): Thread {
    let t = threads.value.get(conversationId)
    if (!t) {
      t = { messages: [], hasMore: false, loading: false, loaded: false }
      threads.value.set(conversationId, t)
      t = threads.value.get(conversationId)!
    }
    return t
  }

  /** Adds older messages in front (paging back). */
  function prepend(conversationId: string, older: ChatMessage[], hasMore: boolean) {
    const t = thread(conversationId)
    const known = new Set(t.messages.map((m) => m.id))
    t.messages = [...older.filter((m) => !known.has(m.id)), ...t.messages]
    t.hasMore = hasMore
    t.loaded = true
  }

  /** Adds a new message, or replaces the one with its id (pending → sent). */
  function upsert(m: ChatMessage) {
    const t = thread(m.conversationId)
    const i = t.messages.findIndex((x) => x.id === m.id)
    if (i >= 0) {
      t.messages[i] = m
      return
    }
    const last = t.messages.at(-1)
    if (!last || compare(last, m) <= 0) t.messages.push(m)
    else t.messages = [...t.messages, m].sort(compare)
  }

  return { threads, thread, prepend, upsert }
})
