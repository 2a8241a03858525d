/**
 * The rows of a conversation's list: a separator where each day starts, the
 * unread divider before the first unread, one sender's run drawn as a group, and
 * the "load older" / "load newer" rows at the ends.
 */
import { describe, expect, it } from 'vitest'
import type { ChatMessage } from '../../../src/shared/contract'
import { buildRows, GROUP_MS, type Row } from '../../../src/renderer/src/features/messages/rows'
import { emptyThread, type Thread } from '../../../src/renderer/src/features/messages/store'

const NOW = new Date(2026, 10, 29, 12, 0).getTime()
const MIN = 60_000

const msg = (id: string, ts: number, over: Partial<ChatMessage> = {}): ChatMessage => ({
  id,
  conversationId: 'dm:bob',
  sender: 'bob',
  direction: 'in',
  ts,
  text: id,
  status: 'seen',
  error: null,
  ...over,
})
const thread = (messages: ChatMessage[], over: Partial<Thread> = {}): Thread => ({ ...emptyThread(), messages, loaded: true, ...over })
/** A row as a short string: what the list shows, in order. */
const show = (r: Row): string => {
  switch (r.kind) {
    case 'day':
      return `day ${r.label}`
    case 'unread':
      return `unread ${r.count}`
    case 'message':
      return `${r.message.id}${r.grouped ? ' grouped' : ''} (${r.day})`
    default:
      return r.kind
  }
}
const rows = (t: Thread) => buildRows(t, NOW).map(show)

describe('message list rows', () => {
  it('starts each day with a separator and keeps the day on its messages', () => {
    const yesterday = NOW - 24 * 60 * MIN
    expect(rows(thread([msg('a', yesterday), msg('b', yesterday + MIN), msg('c', NOW - MIN)]))).toEqual([
      'day Yesterday',
      'a (Yesterday)',
      'b grouped (Yesterday)',
      'day Today',
      'c (Today)',
    ])
  })

  it('groups one sender within a few minutes; another sender, the other direction or a long pause starts a new group', () => {
    const t0 = NOW - 60 * MIN
    const list = [
      msg('a', t0),
      msg('b', t0 + MIN),
      msg('c', t0 + 2 * MIN, { sender: 'carol' }),
      msg('d', t0 + 3 * MIN, { sender: 'carol', direction: 'out' }),
      msg('e', t0 + 3 * MIN + GROUP_MS, { sender: 'carol', direction: 'out' }),
    ]
    expect(rows(thread(list)).slice(1)).toEqual(['a (Today)', 'b grouped (Today)', 'c (Today)', 'd (Today)', 'e (Today)'])
  })

  it('puts the unread divider before the first unread, which starts a new group', () => {
    const t0 = NOW - 10 * MIN
    const t = thread([msg('a', t0), msg('b', t0 + MIN), msg('c', t0 + 2 * MIN)], { unreadMark: { id: 'b', count: 2 } })
    expect(rows(t)).toEqual(['day Today', 'a (Today)', 'unread 2', 'b (Today)', 'c grouped (Today)'])
  })

  it('has a "load older" row when there is more (or an error to show) and a "load newer" row when the window stops short of the newest', () => {
    const list = [msg('a', NOW - MIN)]
    expect(rows(thread(list, { hasMore: true, hasNewer: true }))).toEqual(['older', 'day Today', 'a (Today)', 'newer'])
    expect(rows(thread(list, { error: 'offline' }))[0]).toBe('older')
    expect(rows(thread([]))).toEqual([])
  })

  it('keys rows so they stay the same as pages go in', () => {
    const t = thread([msg('a', NOW - MIN)], { hasMore: true, unreadMark: { id: 'a', count: 1 } })
    expect(buildRows(t, NOW).map((r) => r.key)).toEqual(['older', 'day-a', 'unread', 'a'])
  })
})
