import { describe, expect, it } from 'vitest'
import { formatLastSeen, presenceLine } from '../../../src/renderer/src/features/presence/format'
import { formatClock } from '../../../src/renderer/src/ui/time'

const at = (y: number, mo: number, d: number, h = 0, mi = 0) => new Date(y, mo - 1, d, h, mi).getTime()

describe('presence formatting', () => {
  const now = at(2026, 3, 12, 15, 30) // a Thursday

  it('says what a person shows when they are around', () => {
    expect(presenceLine({ user: 'bob', state: 'online', lastSeen: now }, now)).toBe('online')
    expect(presenceLine({ user: 'bob', state: 'away', lastSeen: now }, now)).toBe('away')
    expect(presenceLine({ user: 'bob', state: 'dnd', lastSeen: now }, now)).toBe('do not disturb')
  })

  it('says when an offline person was last seen, and nothing when never', () => {
    expect(presenceLine({ user: 'bob', state: 'offline', lastSeen: now - 5 * 60_000 }, now)).toBe('last seen 5 min ago')
    expect(presenceLine({ user: 'bob', state: 'offline', lastSeen: null }, now)).toBeNull()
    expect(presenceLine(undefined, now)).toBeNull()
  })

  it('words last-seen times from "just now" to a date', () => {
    expect(formatLastSeen(now - 20_000, now)).toBe('just now')
    expect(formatLastSeen(now + 60_000, now)).toBe('just now') // a clock running ahead
    expect(formatLastSeen(now - 59 * 60_000, now)).toBe('59 min ago')
    const earlier = at(2026, 3, 12, 9, 5)
    expect(formatLastSeen(earlier, now)).toBe(`today at ${formatClock(earlier)}`)
    const yesterday = at(2026, 3, 11, 14, 2)
    expect(formatLastSeen(yesterday, now)).toBe(`yesterday at ${formatClock(yesterday)}`)
    const monday = at(2026, 3, 9, 8, 0)
    expect(formatLastSeen(monday, now)).toMatch(new RegExp(`^\\S+ at ${formatClock(monday)}$`))
    expect(formatLastSeen(at(2026, 1, 3), now)).toMatch(/^on .*3/)
    expect(formatLastSeen(at(2024, 1, 3), now)).toMatch(/^on .*2024/)
  })

  it('moves on as time passes (the header re-renders with a ticking now)', () => {
    const seen = now - 2 * 60_000
    expect(formatLastSeen(seen, now)).toBe('2 min ago')
    expect(formatLastSeen(seen, now + 3 * 60_000)).toBe('5 min ago')
  })
})
