import type { Virtualizer } from '@tanstack/vue-virtual'
import type { ComputedRef, Ref } from 'vue'
import type { Row } from './rows'

/**
 * Keeps the message at the top of the view in place when rows go in above it
 * (an older page): noted on every scroll, put back after the rows are drawn.
 */
export function useScrollAnchor(scroller: Ref<HTMLElement | null>, virtualizer: Ref<Virtualizer<HTMLElement, Element>>, rows: ComputedRef<Row[]>) {
  /**
   * The message at the top of the view, and how far into it the view starts, as of
   * the last scroll. A message, not the row there: the "load older" row and a day's
   * separator stay at the top of what is held as older messages go in below them.
   */
  let topRow: { key: string; into: number } | null = null

  function noteTopRow(): void {
    const el = scroller.value
    const v = virtualizer.value
    let at = el ? (v.getVirtualItemForOffset(el.scrollTop)?.index ?? -1) : -1
    while (at >= 0 && at < rows.value.length && rows.value[at]!.kind !== 'message') at++
    const item = at >= 0 ? v.measurementsCache[at] : undefined
    topRow = el && item ? { key: rows.value[at]!.key, into: el.scrollTop - item.start } : null
  }

  /** A new view: what was at the top of the old one is noted afresh as it scrolls. */
  function forgetTopRow(): void {
    topRow = null
  }

  /**
   * Rows went in above: the row that was at the top goes back there. The virtualizer
   * (anchorTo: 'end') means to do this itself, but with Vue it writes before the DOM
   * has the new rows (the browser caps that at the old height), and it skips it while
   * one of its own writes is unconfirmed (a fast wheel): so it is checked here, after.
   */
  function keepTopRow(): void {
    const el = scroller.value
    const kept = topRow
    if (!el || !kept) return
    const at = rows.value.findIndex((r) => r.key === kept.key)
    const v = virtualizer.value
    v.getVirtualItems() // brings its measurements up to the new rows
    const item = at >= 0 ? v.measurementsCache[at] : undefined
    if (!item) return
    const target = item.start + kept.into
    if (Math.abs(el.scrollTop - target) > 1) el.scrollTop = target
  }

  return { noteTopRow, forgetTopRow, keepTopRow }
}
