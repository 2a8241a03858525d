import { describe, expect, it } from 'vitest'
import { aggregate, type DevicePresence } from '../../../../../src/main/core/features/presence/aggregate'

const d = (state: DevicePresence['state'], lastSeen: number | null = null): DevicePresence => ({ state, lastSeen })

describe('presence aggregate (a person from their devices)', () => {
  it('no device known: offline, never seen', () => {
    expect(aggregate('bob', [])).toEqual({ user: 'bob', state: 'offline', lastSeen: null })
  })

  it('one device: its state and time', () => {
    expect(aggregate('bob', [d('online', 5)])).toEqual({ user: 'bob', state: 'online', lastSeen: 5 })
    expect(aggregate('bob', [d('away', 6)])).toEqual({ user: 'bob', state: 'away', lastSeen: 6 })
  })

  it('online on any device beats away and offline, whatever the order', () => {
    expect(aggregate('bob', [d('offline', 1), d('away', 2), d('online', 3)]).state).toBe('online')
    expect(aggregate('bob', [d('online', 3), d('away', 2), d('offline', 1)]).state).toBe('online')
  })

  it('do-not-disturb on any device wins, even over online elsewhere', () => {
    expect(aggregate('bob', [d('online', 3), d('dnd', 1)]).state).toBe('dnd')
    expect(aggregate('bob', [d('dnd', 1), d('away', 2), d('offline', 9)]).state).toBe('dnd')
  })

  it('away when some device is away and none is online or dnd', () => {
    expect(aggregate('bob', [d('offline', 9), d('away', 2)]).state).toBe('away')
  })

  it('offline only when every device is, with the latest time any was seen', () => {
    expect(aggregate('bob', [d('offline', 10), d('offline', 30), d('offline', 20)])).toEqual({ user: 'bob', state: 'offline', lastSeen: 30 })
    expect(aggregate('bob', [d('offline', null), d('offline', 7)])).toEqual({ user: 'bob', state: 'offline', lastSeen: 7 })
    expect(aggregate('bob', [d('offline'), d('offline')])).toEqual({ user: 'bob', state: 'offline', lastSeen: null })
  })

  it('takes any iterable (a Map of devices) once', () => {
    const devices = new Map([
      ['phone', d('away', 4)],
      ['laptop', d('offline', 8)],
    ])
    expect(aggregate('李雷', devices.values())).toEqual({ user: '李雷', state: 'away', lastSeen: 8 })
  })
})
