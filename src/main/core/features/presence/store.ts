import type Database from 'better-sqlite3'
import type { PresenceState } from '../../../../shared/contract'
import type { DevicePresence } from './aggregate'

/** Cached presence per device; memory answers first, this keeps "last seen" across restarts. */
export class PresenceStore {
  private readonly q

  constructor(db: Database.Database) {
    this.q = {
      put: db.prepare(
        `INSERT INTO presence (user, device, state, last_seen, updated_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (user, device) DO UPDATE SET state = excluded.state, last_seen = excluded.last_seen, updated_at = excluded.updated_at`,
      ),
      remove: db.prepare(`DELETE FROM presence WHERE user = ? AND device = ?`),
      ofUser: db.prepare(`SELECT device, state, last_seen FROM presence WHERE user = ?`),
    }
  }

  put(user: string, device: string, p: DevicePresence): void {
    this.q.put.run(user, device, p.state, p.lastSeen, Date.now())
  }

  remove(user: string, device: string): void {
    this.q.remove.run(user, device)
  }

  devices(user: string): Map<string, DevicePresence> {
    const rows = this.q.ofUser.all(user) as { device: string; state: PresenceState; last_seen: number | null }[]
    return new Map(rows.map((r) => [r.device, { state: r.state, lastSeen: r.last_seen }]))
  }
}
