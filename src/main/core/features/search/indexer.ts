import type Database from 'better-sqlite3'
import { indexForm } from './fold'
import { scopeOf } from './scope'

interface QueuedRow {
  k: number
  text: string
  conversation_id: string
  sender: string
}

/**
 * Empties the search queue into the index, newest messages first (after a large
 * catch-up, what was said last is searchable first). Each batch is one transaction:
 * a row leaves the queue exactly when it enters the index.
 */
export class SearchIndexer {
  private readonly q
  private readonly batchTx: (limit: number) => number

  constructor(db: Database.Database) {
    this.q = {
      next: db.prepare(
        `SELECT q.rowid AS k, m.text, m.conversation_id, m.sender FROM search_queue q JOIN messages m ON m.rowid = q.rowid ORDER BY q.rowid DESC LIMIT ?`,
      ),
      add: db.prepare(`INSERT INTO message_index (rowid, body, scope) VALUES (?, ?, ?)`),
      done: db.prepare(`DELETE FROM search_queue WHERE rowid = ?`),
      // A queued row whose message is gone (deleted in a way the trigger did not see) only needs to leave the queue.
      orphans: db.prepare(`DELETE FROM search_queue WHERE rowid NOT IN (SELECT rowid FROM messages)`),
      pending: db.prepare(`SELECT count(*) AS n FROM search_queue`),
      anyPending: db.prepare(`SELECT EXISTS (SELECT 1 FROM search_queue) AS yes`),
      pendingUpTo: db.prepare(`SELECT count(*) AS n FROM (SELECT 1 FROM search_queue LIMIT ?)`),
      indexed: db.prepare(`SELECT count(*) AS n FROM messages`),
    }
    this.batchTx = db.transaction((limit: number) => {
      const rows = this.q.next.all(limit) as QueuedRow[]
      // The newest batch, written oldest first: FTS5 appends rows in ascending rowid order
      // to its in-memory segment, and flushes it at every rowid that goes backwards.
      rows.reverse()
      for (const r of rows) {
        this.q.add.run(r.k, indexForm(r.text), scopeOf(r.conversation_id, r.sender))
        this.q.done.run(r.k)
      }
      if (rows.length < limit && this.hasPending()) this.q.orphans.run()
      return rows.length
    })
  }

  /** Indexes up to `limit` queued messages; how many it indexed. */
  indexBatch(limit: number): number {
    return this.batchTx(limit)
  }

  /** Indexes everything queued, in batches; calls `progress` after each. */
  catchUp(batch = 5000, progress?: (indexed: number, pending: number) => void): number {
    let total = 0
    for (;;) {
      const n = this.indexBatch(batch)
      total += n
      if (n === 0) return total
      progress?.(total, this.pending())
    }
  }

  hasPending(): boolean {
    return (this.q.anyPending.get() as { yes: number }).yes === 1
  }

  /** How many are queued, counted no further than `max` (the queue may hold a whole history). */
  pendingUpTo(max: number): number {
    return (this.q.pendingUpTo.get(max) as { n: number }).n
  }

  pending(): number {
    return (this.q.pending.get() as { n: number }).n
  }

  /** Messages in the history that are searchable (stored and not queued). */
  indexed(): number {
    return Math.max(0, (this.q.indexed.get() as { n: number }).n - this.pending())
  }
}
