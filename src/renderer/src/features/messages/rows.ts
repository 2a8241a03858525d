/**
 * The rows of a conversation's list, top to bottom: the "load older" row, a
 * separator where a day starts, the unread divider, the messages (grouped into
 * one sender's runs) and the "load newer" row. Pure, so it is tested alone.
 */
import type { ChatMessage } from '../../../../shared/contract'
import { formatDay, isSameDay } from '../../ui/time'
import type { Thread } from './store'

/** Messages this close in time (same sender, same day) are drawn as one group. */
export const GROUP_MS = 5 * 60_000

export type Row =
  | { kind: 'older'; key: string }
  | { kind: 'day'; key: string; label: string }
  | { kind: 'unread'; key: string; count: number }
  | { kind: 'message'; key: string; message: ChatMessage; grouped: boolean; day: string }
  | { kind: 'newer'; key: string }

/** What the list shows for a thread, day labels as of `now`; each row is measured as it is drawn. */
export function buildRows(t: Thread, now: number): Row[] {
  const out: Row[] = []
  if (t.hasMore || t.error) out.push({ kind: 'older', key: 'older' })
  let prev: ChatMessage | undefined
  let day = ''
  for (const m of t.messages) {
    const newDay = !prev || !isSameDay(prev.ts, m.ts)
    if (newDay) out.push({ kind: 'day', key: `day-${m.id}`, label: (day = formatDay(m.ts, now)) })
    const unread = t.unreadMark?.id === m.id
    if (unread) out.push({ kind: 'unread', key: 'unread', count: t.unreadMark!.count })
    // One sender's run: in a group, someone else's message starts a new one (with their name).
    const grouped = !newDay && !unread && prev!.direction === m.direction && prev!.sender === m.sender && m.ts - prev!.ts < GROUP_MS
    out.push({ kind: 'message', key: m.id, message: m, grouped, day })
    prev = m
  }
  if (t.hasNewer) out.push({ kind: 'newer', key: 'newer' })
  return out
}

/**
 * A first guess of a row's height (a one-line bubble, as drawn), until it is
 * measured: the closer it is, the less the rows above the view shift as they are.
 */
export function estimate(row: Row | undefined): number {
  if (!row) return 40
  if (row.kind === 'message') return row.grouped ? 35 : 41
  return row.kind === 'day' ? 43 : row.kind === 'unread' ? 34 : 48
}
