/** How long without keyboard, mouse or focus (or with the page hidden) counts as idle. */
export const IDLE_AFTER_MS = 5 * 60_000
/** Activity is noticed at most this often (mouse moves come by the hundred). */
const ACTIVITY_THROTTLE_MS = 1000

const ACTIVITY_EVENTS = ['keydown', 'pointerdown', 'pointermove', 'wheel', 'touchstart', 'focus'] as const

/**
 * Follows whether the person is at the page: `report(true)` after IDLE_AFTER_MS
 * without input or focus (a hidden page gets no input, so hidden that long counts
 * too), `report(false)` on the first activity after that. Only changes are reported.
 * Returns a function that stops watching.
 */
export function watchIdle(report: (idle: boolean) => void, idleAfterMs = IDLE_AFTER_MS): () => void {
  let idle = false
  let timer: ReturnType<typeof setTimeout> | undefined
  let noticedAt = 0

  function arm(): void {
    clearTimeout(timer)
    timer = setTimeout(() => {
      idle = true
      report(true)
    }, idleAfterMs)
  }

  function onActivity(): void {
    if (document.visibilityState === 'hidden') return
    if (idle) {
      idle = false
      report(false)
    }
    const now = Date.now()
    if (now - noticedAt < ACTIVITY_THROTTLE_MS) return
    noticedAt = now
    arm()
  }

  function onVisibility(): void {
    if (document.visibilityState === 'hidden') {
      // Hidden from now on: idle once that has lasted long enough.
      noticedAt = 0
      arm()
    } else onActivity()
  }

  const options = { capture: true, passive: true } as const
  for (const type of ACTIVITY_EVENTS) window.addEventListener(type, onActivity, options)
  document.addEventListener('visibilitychange', onVisibility)
  arm()

  return () => {
    clearTimeout(timer)
    for (const type of ACTIVITY_EVENTS) window.removeEventListener(type, onActivity, options)
    document.removeEventListener('visibilitychange', onVisibility)
  }
}
