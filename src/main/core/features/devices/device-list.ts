import type { Device, DeviceSync, PresenceState } from '../../../../shared/contract'
import type { Account } from '../../kernel/feature'
import type { KnownDevice } from './store'

export interface ListInput {
  account: Account
  /** This device: its name, sync state, presence and when it last (dis)connected. */
  name: string
  sync: DeviceSync
  state: PresenceState
  lastSeen: number | null
  /** Devices heard through the sync (names, removals). */
  known: readonly KnownDevice[]
  /** My user's devices heard through presence (never this one). */
  heard: readonly { device: string; state: PresenceState; lastSeen: number | null }[]
}

/** A device nobody named yet (only seen through its presence): its id's start tells it apart. */
export function unnamed(id: string): string {
  return `Device ${id.slice(0, 6)}`
}

/**
 * My devices: this one first, then the others by last seen (newest first). The
 * others are every device of my user that presence or the sync knows, but not
 * those removed; linked when they are known through the sync while this one is.
 */
export function deviceList(input: ListInput): Device[] {
  const { account } = input
  const me: Device = { id: account.deviceId, name: input.name, current: true, state: input.state, lastSeen: input.lastSeen, sync: input.sync }
  const known = new Map(input.known.map((d) => [d.id, d]))
  const heard = new Map(input.heard.map((d) => [d.device, d]))
  const others: Device[] = []
  for (const id of new Set([...known.keys(), ...heard.keys()])) {
    if (id === account.deviceId) continue
    const k = known.get(id)
    if (k && k.removedAt !== null) continue
    const p = heard.get(id)
    others.push({
      id,
      name: k?.name ?? unnamed(id),
      current: false,
      state: p?.state ?? 'offline',
      lastSeen: p?.lastSeen ?? null,
      sync: k && input.sync === 'linked' ? 'linked' : 'unlinked',
    })
  }
  others.sort((a, b) => (b.lastSeen ?? -1) - (a.lastSeen ?? -1) || a.id.localeCompare(b.id))
  return [me, ...others]
}
