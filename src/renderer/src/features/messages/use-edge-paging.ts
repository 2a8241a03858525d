import { nextTick, watch, type ComputedRef, type Ref } from 'vue'
import { useMessagesActions } from './io'
import type { Thread } from './store'

/** How near the top or bottom (px) the next page is read, so it is there before it is reached. */
const PREFETCH_PX = 600

/**
 * Reads the next page up or down when the view comes near that end of what is
 * held; `ready` is false until the thread has been positioned (until then the
 * view is at the top only because nothing moved it yet).
 */
export function useEdgePaging(conversationId: () => string, thread: ComputedRef<Thread>, scroller: Ref<HTMLElement | null>, ready: () => boolean) {
  const actions = useMessagesActions()

  function loadOlder(): void {
    if (thread.value.hasMore && !thread.value.loading) void actions.loadOlder(conversationId())
  }

  function loadNearEdges(): void {
    const el = scroller.value
    if (!el || !ready()) return
    const fromEnd = el.scrollHeight - el.scrollTop - el.clientHeight
    if (el.scrollTop < PREFETCH_PX) loadOlder()
    if (fromEnd < PREFETCH_PX && thread.value.hasNewer && !thread.value.loading) void actions.loadNewer(conversationId())
  }

  // A page that arrived while the reader kept going (or a wheel at the very top, which scrolls
  // nothing and so says nothing) must not leave them at an edge with the next page unread.
  watch(
    () => thread.value.loading,
    (loading) => {
      if (!loading) void nextTick(loadNearEdges)
    },
  )

  return { loadOlder, loadNearEdges }
}
