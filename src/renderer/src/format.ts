/** Date and time labels, in the person's locale, shared by the list and the chat. */
const time = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' })
const shortDate = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short' })
const longDate = new Intl.DateTimeFormat(undefined, { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' })

export function dayKey(ts: number): string {
  const d = new Date(ts)
  return `${d.getFullYear()}-${d.getMonth()}-${d.getDate()}`
}

export function isToday(ts: number, now = Date.now()): boolean {
  return dayKey(ts) === dayKey(now)
}

/** "14:05" today, "3 Nov" otherwise: for the conversation list. */
export function listTime(ts: number, now = Date.now()): string {
  return isToday(ts, now) ? time.format(ts) : shortDate.format(ts)
}

export function messageTime(ts: number): string {
  return time.format(ts)
}

/** "Today", "Yesterday" or the full date: for day separators. */
export function dayLabel(ts: number, now = Date.now()): string {
  if (isToday(ts, now)) return 'Today'
  if (isToday(ts + 86_400_000, now)) return 'Yesterday'
  return longDate.format(ts)
}
