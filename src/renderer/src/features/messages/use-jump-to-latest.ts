import type { Virtualizer } from '@tanstack/vue-virtual'
import { computed, nextTick, onBeforeUnmount, onMounted, ref, type ComputedRef, type Ref } from 'vue'
import { useMessagesActions } from './io'
import { useMessagesStore, type Thread } from './store'

/** How near the bottom (px) still counts as "at the newest". */
const AT_END_PX = 64

interface Options {
  conversationId: () => string
  thread: ComputedRef<Thread>
  scroller: Ref<HTMLElement | null>
  virtualizer: Ref<Virtualizer<HTMLElement, Element>>
  /** There is something to scroll to the end of. */
  hasRows: () => boolean
}

/**
 * Whether the reader is at the newest message, and the way back there: the
 * jump-to-latest button (shown away from the newest, with how many came in
 * meanwhile) and keeping the newest in view while the pane changes size.
 */
export function useJumpToLatest({ conversationId, thread, scroller, virtualizer, hasRows }: Options) {
  const store = useMessagesStore()
  const actions = useMessagesActions()

  /** The reader is at the newest message held (new ones follow them down). */
  const atEnd = ref(true)

  function scrollToEnd(): void {
    if (hasRows()) virtualizer.value.scrollToEnd()
    atEnd.value = true
    store.clearNewBelow(conversationId())
  }

  /** After a scroll: at the newest (of all, not only of what is held), what came in is seen. */
  function noteAtEnd(el: HTMLElement): void {
    atEnd.value = el.scrollHeight - el.scrollTop - el.clientHeight < AT_END_PX
    if (atEnd.value && !thread.value.hasNewer) store.clearNewBelow(conversationId())
  }

  const showLatest = computed(() => thread.value.loaded && (!atEnd.value || thread.value.hasNewer))
  async function toLatest(): Promise<void> {
    if (thread.value.hasNewer) await actions.reload(conversationId())
    await nextTick()
    scrollToEnd()
  }

  // The composer growing (or the window resizing) must not push the newest message out of view.
  let resizeObserver: ResizeObserver | undefined
  onMounted(() => {
    if (!scroller.value) return
    resizeObserver = new ResizeObserver(() => {
      if (atEnd.value && !thread.value.hasNewer) virtualizer.value.scrollToEnd()
    })
    resizeObserver.observe(scroller.value)
  })
  onBeforeUnmount(() => resizeObserver?.disconnect())

  return { atEnd, scrollToEnd, noteAtEnd, showLatest, toLatest }
}
