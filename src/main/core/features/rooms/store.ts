import type Database from 'better-sqlite3'
import type { RoomMessageInfo } from '../../../../shared/contract'
import type { RoomQos } from '../../../../shared/protocol/rooms'

export interface RoomRow {
  filter: string
  qos: RoomQos
  joinedAt: number
}

/** The typed query layer over the rooms tables (migration 0016). */
export class RoomStore {
  private readonly q

  constructor(private readonly db: Database.Database) {
    this.q = {
      list: db.prepare(`SELECT filter, qos, joined_at AS joinedAt FROM rooms ORDER BY joined_at, filter`),
      get: db.prepare(`SELECT filter, qos, joined_at AS joinedAt FROM rooms WHERE filter = ?`),
      upsert: db.prepare(
        `INSERT INTO rooms (filter, qos, joined_at) VALUES (?, ?, ?) ON CONFLICT(filter) DO UPDATE SET qos = excluded.qos`,
      ),
      remove: db.prepare(`DELETE FROM rooms WHERE filter = ?`),
      forgetRetained: db.prepare(`DELETE FROM room_retained WHERE filter = ?`),
      noteMessage: db.prepare(`INSERT OR IGNORE INTO room_messages (id, topic, retained) VALUES (?, ?, ?)`),
      info: db.prepare(`SELECT id, topic, retained FROM room_messages WHERE id = ?`),
      retainedDigest: db.prepare(`SELECT digest FROM room_retained WHERE filter = ? AND topic = ?`),
      setRetained: db.prepare(
        `INSERT INTO room_retained (filter, topic, digest) VALUES (?, ?, ?) ON CONFLICT(filter, topic) DO UPDATE SET digest = excluded.digest`,
      ),
    }
  }

  transaction<T>(fn: () => T): T {
    return this.db.inTransaction ? fn() : this.db.transaction(fn)()
  }

  list(): RoomRow[] {
    return this.q.list.all() as RoomRow[]
  }

  get(filter: string): RoomRow | null {
    return (this.q.get.get(filter) as RoomRow | undefined) ?? null
  }

  /** Joins, or changes the QoS of a room joined before (its joining time stays). */
  upsert(filter: string, qos: RoomQos, now: number): RoomRow {
    this.q.upsert.run(filter, qos, now)
    return this.get(filter)!
  }

  /** Leaves; what was retained there is forgotten, so joining again shows it again. */
  remove(filter: string): boolean {
    this.q.forgetRetained.run(filter)
    return this.q.remove.run(filter).changes > 0
  }

  noteMessage(id: string, topic: string, retained: boolean): void {
    this.q.noteMessage.run(id, topic, retained ? 1 : 0)
  }

  info(ids: readonly string[]): RoomMessageInfo[] {
    const out: RoomMessageInfo[] = []
    for (const id of ids) {
      const r = this.q.info.get(id) as { id: string; topic: string; retained: number } | undefined
      if (r) out.push({ id: r.id, topic: r.topic, retained: r.retained === 1 })
    }
    return out
  }

  /**
   * A retained message arrived for `filter` on `topic`: true when it is new (not the
   * copy the broker sends again on each subscription), and it is remembered as seen.
   */
  freshRetained(filter: string, topic: string, digest: string): boolean {
    const seen = this.q.retainedDigest.get(filter, topic) as { digest: string } | undefined
    if (seen?.digest === digest) return false
    this.q.setRetained.run(filter, topic, digest)
    return true
  }
}
