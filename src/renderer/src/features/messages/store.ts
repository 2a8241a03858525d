import { defineStore } from 'pinia'
import { markRaw, ref } from 'vue'
import type { ChatMessage, MessagePage } from '../../../../shared/contract'
import { laterStatus } from './status'

/** Where the list should bring a message into view: the first unread as a conversation opens, or a jump-to. */
export interface Anchor {
  id: string
  kind: 'unread' | 'jump'
}

/**
 * The part of a conversation held here: a window of its history, contiguous,
 * that reaches the newest message unless it was opened in the middle (jump-to,
 * a first unread far back), when `hasNewer` says so.
 */
export interface Thread {
  /** Oldest first, ordered like the engine's pages: by ts, then id. */
  messages: ChatMessage[]
  /** There are older messages than the first one here. */
  hasMore: boolean
  /** There are newer messages than the last one here: the window does not reach the newest. */
  hasNewer: boolean
  loading: boolean
  /** The thread has been read at least once. */
  loaded: boolean
  error: string | null
  /** Where the "N new messages" divider goes, as it was when the conversation was opened. */
  unreadMark: { id: string; count: number } | null
  /** A message for the list to bring into view once it is shown (then cleared). */
  anchor: Anchor | null
  /** Incoming messages that arrived since the reader scrolled away from the newest (the jump-to-latest count). */
  newBelow: number
  /** Counts the times what is held was replaced: a page asked for next to the old window is dropped. */
  windowId: number
}

/** Most messages held for one conversation while paging back: 60 pages, far more than a screen or a search context needs. */
export const MAX_HELD = 3000

/**
 * A message as the store holds it: never made deeply reactive. A message is never
 * changed in place (a newer state replaces it in its array, which is what the list
 * watches), and a proxy per message made every pass over thousands of them (rows,
 * day separators, grouping) pay for tracking each field read.
 */
const held = (m: ChatMessage): ChatMessage => markRaw(m)

export const emptyThread = (): Thread => ({
  messages: [],
  hasMore: false,
  hasNewer: false,
  loading: false,
  loaded: false,
  error: null,
  unreadMark: null,
  anchor: null,
  newBelow: 0,
  windowId: 0,
})

export function compareMessages(a: Pick<ChatMessage, 'ts' | 'id'>, b: Pick<ChatMessage, 'ts' | 'id'>): number {
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
    if (!threads.value[conversationId]) threads.value[conversationId] = emptyThread()
    return threads.value[conversationId]!
  }

  /**
   * Adds a message or replaces the one with the same id (pending → sent), keeping
   * the order. A new message past the end of a window that does not reach the
   * newest is not spliced in there (it would sit next to messages it does not
   * follow): it shows when the window reaches the end.
   */
  function upsert(m: ChatMessage): void {
    if (removed.has(m.id)) return
    const t = thread(m.conversationId)
    const list = t.messages
    const at = list.findLastIndex((x) => x.id === m.id)
    const next = held(newerOf(list[at], m))
    if (at >= 0 && list[at]!.ts === next.ts) {
      list[at] = next
      return
    }
    const last = list.at(-1)
    if (at < 0 && t.hasNewer && last && compareMessages(next, last) > 0) {
      if (m.direction === 'in') t.newBelow++
      return
    }
    if (at >= 0) list.splice(at, 1)
    let i = list.length
    while (i > 0 && compareMessages(list[i - 1]!, next) > 0) i--
    list.splice(i, 0, next)
    if (at < 0 && m.direction === 'in' && i === list.length - 1) t.newBelow++
  }

  /** Puts the page's messages into the thread (a removed one stays out), keeping the higher status of each. */
  function merge(t: Thread, page: MessagePage): void {
    const fresh = page.messages.filter((m) => !removed.has(m.id)).map(held)
    const first = t.messages[0]
    const last = fresh.at(-1)
    // The usual case, a page from before everything held: put it in front, no map and no sort of all that is held.
    if (first && last && compareMessages(last, first) < 0) {
      t.messages = [...fresh, ...t.messages]
      return
    }
    const merged = new Map(t.messages.map((m) => [m.id, m]))
    for (const m of page.messages) if (!removed.has(m.id)) merged.set(m.id, held(newerOf(merged.get(m.id), m)))
    t.messages = [...merged.values()].sort(compareMessages)
  }

  /** Replaces what is held with the page (a window somewhere else in the history). */
  function replace(t: Thread, page: MessagePage): void {
    t.windowId++
    t.messages = page.messages.filter((m) => !removed.has(m.id)).map(held)
    t.hasMore = page.hasMore
    t.hasNewer = page.hasNewer
  }

  const touches = (t: Thread, page: MessagePage): boolean => page.messages.some((m) => t.messages.some((x) => x.id === m.id))

  /**
   * Merges a page into the thread. `older`: the page came from before the first
   * message, so it also says whether there is more; a newest page only says so the
   * first time (later ones refresh the tail), and brings a window opened in the
   * middle to the end.
   */
  function addPage(conversationId: string, page: MessagePage, older: boolean): void {
    const t = thread(conversationId)
    if (!older && t.loaded && page.hasMore && !touches(t, page)) {
      // A newest page that does not touch what we hold leaves a gap (we were away
      // for more than a page, or held a window far back): start over from it rather than show a hole.
      replace(t, page)
      t.error = null
      return
    }
    merge(t, page)
    if (older || !t.loaded) t.hasMore = page.hasMore
    if (!older) t.hasNewer = false
    else if (t.messages.length > MAX_HELD) {
      // Far back in a long history: let the newest end go (it is read again on the way down), so
      // what the list lays out stays bounded instead of growing with every page scrolled through.
      t.messages = t.messages.slice(0, MAX_HELD)
      t.hasNewer = true
    }
    t.loaded = true
    t.error = null
  }

  /** Appends the page that came from after the last message (scrolling down a window opened in the middle). */
  function addNewer(conversationId: string, page: MessagePage): void {
    const t = thread(conversationId)
    merge(t, page)
    t.hasNewer = page.hasNewer
    if (t.messages.length > MAX_HELD) {
      // Scrolling down from far back (a jump, a first unread) is bounded like paging back: the oldest end goes.
      t.messages = t.messages.slice(-MAX_HELD)
      t.hasMore = true
    }
    t.error = null
  }

  /**
   * Holds the page around a message (jump-to, a first unread far back): merged
   * when it overlaps what is held, else instead of it, so the window stays contiguous.
   */
  function setWindow(conversationId: string, page: MessagePage): void {
    const t = thread(conversationId)
    const first = t.messages[0]
    const last = t.messages.at(-1)
    if (t.loaded && first && last && touches(t, page)) {
      const pageFirst = page.messages[0]!
      const pageLast = page.messages.at(-1)!
      merge(t, page)
      if (compareMessages(pageFirst, first) <= 0) t.hasMore = page.hasMore
      if (compareMessages(pageLast, last) >= 0) t.hasNewer = page.hasNewer
    } else {
      replace(t, page)
    }
    t.loaded = true
    t.error = null
  }

  function setLoading(conversationId: string, loading: boolean, error: string | null = null): void {
    const t = thread(conversationId)
    t.loading = loading
    t.error = error
  }

  function setUnreadMark(conversationId: string, mark: Thread['unreadMark']): void {
    thread(conversationId).unreadMark = mark
  }

  function setAnchor(conversationId: string, anchor: Anchor | null): void {
    thread(conversationId).anchor = anchor
  }

  function clearNewBelow(conversationId: string): void {
    const t = threads.value[conversationId]
    if (t) t.newBelow = 0
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

  return { threads, thread, upsert, addPage, addNewer, setWindow, setLoading, setUnreadMark, setAnchor, clearNewBelow, remove, forget }
})
