import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import type { Moment, MomentsPage } from '../../../../shared/contract'
import type { PageCursor } from '../../../../shared/schemas'

/** Feed order: newest first; the id settles equal times so the order never flickers. */
export function newestFirst(a: Moment, b: Moment): number {
  return b.ts - a.ts || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0)
}

/** `extra` merged into `list` (both newest first): one entry per id, the later copy winning. */
export function mergeMoments(list: readonly Moment[], extra: readonly Moment[]): Moment[] {
  const byId = new Map<string, Moment>()
  for (const m of list) byId.set(m.id, m)
  for (const m of extra) byId.set(m.id, m)
  return [...byId.values()].sort(newestFirst)
}

export interface MomentNotice {
  id: number
  /** Who stopped sharing their moments with me. */
  user: string
}

/** The feed (newest first), whom I follow, what I have seen, and quiet notices. State only. */
export const useMomentsStore = defineStore('moments', () => {
  const items = ref<Moment[]>([])
  /** Older posts than the last one shown exist (Load more). */
  const hasMore = ref(false)
  /** The first page has arrived (until then, "no moments yet" would be a lie). */
  const loaded = ref(false)
  const loading = ref<'first' | 'more' | null>(null)
  const error = ref<string | null>(null)
  /** Whom I follow; null until read. */
  const following = ref<string[] | null>(null)
  /** People unfollowed in this session, offered to follow again. */
  const unfollowed = ref<string[]>([])
  /** The newest post time I have seen in the panel: newer posts of others count as new. */
  const seenUpTo = ref(0)
  const notices = ref<MomentNotice[]>([])
  let noticeSeq = 0

  /** Others' posts newer than what I have seen (the panel's badge). */
  const unseen = computed(() => items.value.filter((m) => !m.mine && m.ts > seenUpTo.value).length)
  /** Where the next older page starts: after the oldest post shown. */
  const cursor = computed<PageCursor | null>(() => {
    const last = items.value[items.value.length - 1]
    return last ? { ts: last.ts, id: last.id } : null
  })

  /**
   * The newest page (first load or after a reconnect). When it reaches back to what
   * is shown, it is merged in and the older posts stay; when it does not (more was
   * posted meanwhile than a page holds), it replaces them so the feed has no hole.
   */
  function setNewest(page: MomentsPage): void {
    const oldest = page.moments[page.moments.length - 1]
    const newestShown = items.value[0]
    // A page without more is the whole feed; otherwise it must reach back to (or past) the newest post shown.
    const reachesShown = page.hasMore && oldest !== undefined && newestShown !== undefined && newestFirst(oldest, newestShown) >= 0
    if (reachesShown) {
      items.value = mergeMoments(items.value, page.moments)
    } else {
      items.value = mergeMoments([], page.moments)
      hasMore.value = page.hasMore
    }
    loaded.value = true
  }

  /** An older page, asked for with `cursor`. */
  function addOlder(page: MomentsPage): void {
    items.value = mergeMoments(items.value, page.moments)
    hasMore.value = page.hasMore
  }

  /** A post that just arrived (or that I just made). */
  function add(m: Moment): void {
    items.value = mergeMoments(items.value, [m])
  }

  /** Someone's posts leave the feed (I stopped following them, or they me); mine stay. */
  function removeAuthor(user: string): void {
    items.value = items.value.filter((m) => m.mine || m.author !== user)
  }

  function setLoading(what: 'first' | 'more' | null, err: string | null = null): void {
    loading.value = what
    error.value = err
  }

  function setFollowing(users: string[]): void {
    following.value = [...users].sort((a, b) => a.localeCompare(b))
    unfollowed.value = unfollowed.value.filter((u) => !users.includes(u))
  }

  function noteUnfollowed(user: string): void {
    if (!unfollowed.value.includes(user)) unfollowed.value = [...unfollowed.value, user]
  }

  function setSeenUpTo(ts: number): void {
    if (ts > seenUpTo.value) seenUpTo.value = ts
  }

  /** Everything above was seen (the panel is open). */
  function markAllSeen(): void {
    setSeenUpTo(items.value.reduce((max, m) => Math.max(max, m.ts), 0))
  }

  function notice(user: string): void {
    notices.value = [...notices.value.filter((n) => n.user !== user), { id: ++noticeSeq, user }]
  }

  function dismissNotice(id: number): void {
    notices.value = notices.value.filter((n) => n.id !== id)
  }

  /** Another account signed in. */
  function clear(): void {
    items.value = []
    hasMore.value = false
    loaded.value = false
    loading.value = null
    error.value = null
    following.value = null
    unfollowed.value = []
    seenUpTo.value = 0
    notices.value = []
  }

  return {
    items,
    hasMore,
    loaded,
    loading,
    error,
    following,
    unfollowed,
    seenUpTo,
    notices,
    unseen,
    cursor,
    setNewest,
    addOlder,
    add,
    removeAuthor,
    setLoading,
    setFollowing,
    noteUnfollowed,
    setSeenUpTo,
    markAllSeen,
    notice,
    dismissNotice,
    clear,
  }
})
