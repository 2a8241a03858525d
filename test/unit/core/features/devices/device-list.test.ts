import { describe, expect, it } from 'vitest'
import { deviceList, type ListInput } from '../../../../../src/main/core/features/devices/device-list'
import type { KnownDevice } from '../../../../../src/main/core/features/devices/store'

const account = { user: 'alice', root: 'IMS', deviceId: 'aaaa000000000000' }
const known = (id: string, over: Partial<KnownDevice> = {}): KnownDevice => ({ id, name: `name of ${id}`, nameTs: 1, linkedAt: 1, removedAt: null, cleared: true, ...over })
const input = (over: Partial<ListInput> = {}): ListInput => ({
  account,
  name: 'This laptop',
  sync: 'linked',
  state: 'online',
  lastSeen: 5,
  known: [],
  heard: [],
  ...over,
})

describe('the device list', () => {
  it('is this device first, then the others by last seen, newest first', () => {
    const list = deviceList(
      input({
        known: [known('b'), known('c'), known('d')],
        heard: [
          { device: 'b', state: 'offline', lastSeen: 100 },
          { device: 'c', state: 'online', lastSeen: 300 },
        ],
      }),
    )
    expect(list.map((d) => [d.id, d.current, d.state, d.lastSeen, d.sync])).toEqual([
      [account.deviceId, true, 'online', 5, 'linked'],
      ['c', false, 'online', 300, 'linked'],
      ['b', false, 'offline', 100, 'linked'],
      ['d', false, 'offline', null, 'linked'],
    ])
    expect(list[0]!.name).toBe('This laptop')
    expect(list[1]!.name).toBe('name of c')
  })

  it('leaves out removed devices and this device as others see it; unnamed devices seen through presence are unlinked', () => {
    const list = deviceList(
      input({
        known: [known('b', { removedAt: 10 }), known(account.deviceId)],
        heard: [
          { device: 'b', state: 'online', lastSeen: 100 },
          { device: 'e0e1e2e3e4e5e6e7', state: 'away', lastSeen: 50 },
        ],
      }),
    )
    expect(list.map((d) => [d.id, d.name, d.sync])).toEqual([
      [account.deviceId, 'This laptop', 'linked'],
      ['e0e1e2e3e4e5e6e7', 'Device e0e1e2', 'unlinked'],
    ])
  })

  it('shows no device as linked while this one is not', () => {
    const list = deviceList(input({ sync: 'removed', known: [known('b')] }))
    expect(list.map((d) => d.sync)).toEqual(['removed', 'unlinked'])
  })
})
