import type { Migration } from '../../../store/migrations/types'
import { messageKeyBase } from '../time-key'

/**
 * A message's rowid becomes its time key: `ts × 1024 + n`, so ordering by rowid is
 * ordering by time. A full-text index that shares the rowid then gives the newest
 * hits first by walking its doclists backwards, never by sorting every hit. Existing
 * rows are renumbered in (ts, id) order, each key above the one before.
 */
export const migration0018: Migration = {
  version: 18,
  name: 'message time keys',
  up(db) {
    const rows = db.prepare(`SELECT rowid AS r, ts FROM messages ORDER BY ts, id`).all() as { r: number; ts: number }[]
    // Negative rowids first: old and new numbers never collide while they are changed.
    db.exec(`UPDATE messages SET rowid = -rowid`)
    const renumber = db.prepare(`UPDATE messages SET rowid = ? WHERE rowid = ?`)
    let previous = -1
    for (const { r, ts } of rows) {
      previous = Math.max(messageKeyBase(ts), previous + 1)
      renumber.run(previous, -r)
    }
  },
}
