/**
 * A message's rowid is its time key: `ts × MESSAGE_KEY_SLOTS + n`, where n tells
 * apart messages of the same millisecond. Ordering by rowid is then ordering by
 * time, which is what lets search and paging walk an index newest first.
 */
export const MESSAGE_KEY_SLOTS = 1024
/**
 * The latest ts a key keeps apart (year 2248); later clocks share it. Below 2^43 by
 * 2^20 ms, so the keys a flood in that last millisecond spills into (2^30 of them)
 * are still exact doubles (a key past 2^53 read back into JavaScript is rounded).
 */
const MAX_KEY_TS = 2 ** 43 - 2 ** 20

/** The first key of the millisecond `ts` (a hostile or broken clock is clamped, never an error). */
export function messageKeyBase(ts: number): number {
  return Math.min(Math.max(0, Math.trunc(ts)), MAX_KEY_TS) * MESSAGE_KEY_SLOTS
}

/** The first key of the millisecond after `ts`: `rowid < keyAfter(ts)` means "at or before ts". */
export function messageKeyAfter(ts: number): number {
  return messageKeyBase(ts) + MESSAGE_KEY_SLOTS
}
