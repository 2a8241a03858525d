import { onBeforeUnmount, ref } from 'vue'

/** How long a jumped-to message stays highlighted. */
const JUMP_HIGHLIGHT_MS = 4000

/** The message a jump-to opened at: highlighted (`jumpedId`) for a few seconds. */
export function useJumpHighlight() {
  const jumpedId = ref<string | null>(null)
  let timer: ReturnType<typeof setTimeout> | undefined
  function highlight(id: string): void {
    jumpedId.value = id
    clearTimeout(timer)
    timer = setTimeout(() => (jumpedId.value = null), JUMP_HIGHLIGHT_MS)
  }
  onBeforeUnmount(() => clearTimeout(timer))
  return { jumpedId, highlight }
}
