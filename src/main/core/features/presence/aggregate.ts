import type { Presence, PresenceState } from '../../../../shared/contract'

export interface DevicePresence {
  state: PresenceState
  /** ms since epoch; for an online device, now-ish. */
  lastSeen: number | null
}

/**
 * A person's presence from their devices': do-not-disturb set on any device wins
 * (they asked for quiet), then online if any device is, then away; offline only
 * when every device is, with the latest time any of them was seen.
 */
export function aggregate(user: string, devices: Iterable<DevicePresence>): Presence {
  let lastSeen: number | null = null
  const states = new Set<PresenceState>()
  for (const d of devices) {
    states.add(d.state)
    if (d.lastSeen !== null && (lastSeen === null || d.lastSeen > lastSeen)) lastSeen = d.lastSeen
  }
  const order: PresenceState[] = ['dnd', 'online', 'away']
  const state = order.find((s) => states.has(s)) ?? 'offline'
  return { user, state, lastSeen }
}
