/**
 * Dates and times as people read them, in their own locale. One place for the
 * conversation list, the day separators and the message bubbles.
 */
const clock = new Intl.DateTimeFormat(undefined, { hour: 'numeric', minute: '2-digit' })
const shortDate = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short' })
const shortDateYear = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short', year: 'numeric' })
const longDate = new Intl.DateTimeFormat(undefined, { weekday: 'long', day: 'numeric', month: 'long' })
const longDateYear = new Intl.DateTimeFormat(undefined, { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' })
const full = new Intl.DateTimeFormat(undefined, { dateStyle: 'full', timeStyle: 'short' })
const weekday = new Intl.DateTimeFormat(undefined, { weekday: 'long' })

/** Local midnight of the day `ts` falls on. */
export function startOfDay(ts: number): number {
  const d = new Date(ts)
  d.setHours(0, 0, 0, 0)
  return d.getTime()
}

export function isSameDay(a: number, b: number): boolean {
  return startOfDay(a) === startOfDay(b)
}

export function isSameYear(a: number, b: number): boolean {
  return new Date(a).getFullYear() === new Date(b).getFullYear()
}

export function isYesterday(ts: number, now: number): boolean {
  const d = new Date(now)
  d.setDate(d.getDate() - 1)
  return isSameDay(ts, d.getTime())
}

/** "14:05". */
export function formatClock(ts: number): string {
  return clock.format(ts)
}

/** For the conversation list: today → "14:05", this year → "3 Mar", else "3 Mar 2023". */
export function formatListTime(ts: number, now = Date.now()): string {
  if (isSameDay(ts, now)) return clock.format(ts)
  return (isSameYear(ts, now) ? shortDate : shortDateYear).format(ts)
}

/** For day separators: "Today", "Yesterday", "Monday 3 March" (plus the year when not this year). */
export function formatDay(ts: number, now = Date.now()): string {
  if (isSameDay(ts, now)) return 'Today'
  if (isYesterday(ts, now)) return 'Yesterday'
  return (isSameYear(ts, now) ? longDate : longDateYear).format(ts)
}

/** For tooltips: the whole date and time. */
export function formatFull(ts: number): string {
  return full.format(ts)
}

/**
 * For feeds, how long ago: "just now", "5 min ago", "3 h ago" (today), "yesterday",
 * a weekday within the week, then "3 Mar" / "3 Mar 2023". A time ahead of `now`
 * (another clock) reads as "just now".
 */
export function formatAgo(ts: number, now = Date.now()): string {
  const ago = now - ts
  if (ago < 60_000) return 'just now'
  if (ago < 60 * 60_000) return `${Math.floor(ago / 60_000)} min ago`
  if (isSameDay(ts, now)) return `${Math.floor(ago / (60 * 60_000))} h ago`
  if (isYesterday(ts, now)) return 'yesterday'
  if (startOfDay(now) - startOfDay(ts) < 6 * 24 * 60 * 60_000) return weekday.format(ts)
  return (isSameYear(ts, now) ? shortDate : shortDateYear).format(ts)
}
