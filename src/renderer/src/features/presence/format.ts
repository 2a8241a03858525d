import type { Presence, PresenceState } from '../../../../shared/contract'
import { formatClock, isSameDay, isSameYear, isYesterday, startOfDay } from '../../ui/time'

const weekday = new Intl.DateTimeFormat(undefined, { weekday: 'long' })
const shortDate = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short' })
const shortDateYear = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short', year: 'numeric' })

const DAY_MS = 24 * 60 * 60_000

/** Words for a presence state, as the header and tooltips show them. */
export const STATE_LABEL: Record<PresenceState, string> = {
  online: 'online',
  away: 'away',
  dnd: 'do not disturb',
  offline: 'offline',
}

/** "just now", "5 min ago", "today at 14:02", "yesterday at 14:02", "Monday at 14:02", "3 Mar", "3 Mar 2023". */
export function formatLastSeen(ts: number, now: number): string {
  const ago = now - ts
  if (ago < 60_000) return 'just now'
  if (ago < 60 * 60_000) return `${Math.floor(ago / 60_000)} min ago`
  if (isSameDay(ts, now)) return `today at ${formatClock(ts)}`
  if (isYesterday(ts, now)) return `yesterday at ${formatClock(ts)}`
  if (startOfDay(now) - startOfDay(ts) < 6 * DAY_MS) return `${weekday.format(ts)} at ${formatClock(ts)}`
  return `on ${(isSameYear(ts, now) ? shortDate : shortDateYear).format(ts)}`
}

/** The chat header's status line for a person: "online", "away", "do not disturb", "last seen …"; null when unknown. */
export function presenceLine(p: Presence | undefined, now: number): string | null {
  if (!p) return null
  if (p.state !== 'offline') return STATE_LABEL[p.state]
  return p.lastSeen === null ? null : `last seen ${formatLastSeen(p.lastSeen, now)}`
}
