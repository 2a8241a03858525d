import type Database from 'better-sqlite3'
import { indexForm } from './fold'
import { Partitions, type Partition } from './partitions'
import { scopeOf } from './scope'

interface QueuedRow {
  k: number
  text: string
  conversation_id: string
  sender: string
}

type Statement = Database.Statement

/**
 * Empties the search queues into the index, newest messages first (after a large
 * catch-up, what was said last is searchable first). Each batch is one transaction:
 * keys to forget go first (a key may be taken again by a newer message), then new
 * rows, each into its quarter's table; a row leaves its queue exactly when the index
 * has it.
 */
export class SearchIndexer {
  private readonly q
  private readonly batchTx: (limit: number) => number
  private readonly writers = new Map<string, { add: Statement; remove: Statement }>()

  constructor(
    private readonly db: Database.Database,
    readonly partitions: Partitions = new Partitions(db),
  ) {
    this.q = {
      next: db.prepare(
        `SELECT q.rowid AS k, m.text, m.conversation_id, m.sender FROM search_queue q JOIN messages m ON m.rowid = q.rowid ORDER BY q.rowid DESC LIMIT ?`,
      ),
      done: db.prepare(`DELETE FROM search_queue WHERE rowid = ?`),
      forgetNext: db.prepare(`SELECT rowid AS k FROM search_forget LIMIT ?`),
      forgotten: db.prepare(`DELETE FROM search_forget WHERE rowid = ?`),
      // A queued row whose message is gone (deleted in a way the trigger did not see) only needs to leave the queue.
      orphans: db.prepare(`DELETE FROM search_queue WHERE rowid NOT IN (SELECT rowid FROM messages)`),
      pending: db.prepare(`SELECT count(*) AS n FROM search_queue`),
      anyPending: db.prepare(`SELECT EXISTS (SELECT 1 FROM search_queue) OR EXISTS (SELECT 1 FROM search_forget) AS yes`),
      pendingUpTo: db.prepare(`SELECT count(*) AS n FROM (SELECT 1 FROM search_queue LIMIT ?)`),
      indexed: db.prepare(`SELECT count(*) AS n FROM messages`),
    }
    this.batchTx = db.transaction((limit: number) => {
      const forget = this.q.forgetNext.all(limit) as { k: number }[]
      for (const { k } of forget) {
        const p = this.partitions.all().find((x) => k >= x.low && k < x.high)
        if (p) this.writer(p).remove.run(k)
        this.q.forgotten.run(k)
      }
      const rows = this.q.next.all(Math.max(0, limit - forget.length)) as QueuedRow[]
      // The newest batch, written oldest first: FTS5 appends rows in ascending rowid order
      // to its in-memory segment, and flushes it at every rowid that goes backwards.
      rows.reverse()
      for (const r of rows) {
        this.writer(this.partitions.forKey(r.k)).add.run(r.k, indexForm(r.text), scopeOf(r.conversation_id, r.sender))
        this.q.done.run(r.k)
      }
      if (rows.length + forget.length < limit && this.hasPending()) this.q.orphans.run()
      return rows.length + forget.length
    })
  }

  private writer(p: Partition): { add: Statement; remove: Statement } {
    let w = this.writers.get(p.name)
    if (!w) {
      w = {
        add: this.db.prepare(`INSERT INTO ${p.name} (rowid, body, scope) VALUES (?, ?, ?)`),
        remove: this.db.prepare(`DELETE FROM ${p.name} WHERE rowid = ?`),
      }
      this.writers.set(p.name, w)
    }
    return w
  }

  /** Indexes (or takes out) up to `limit` queued messages; how many it handled. */
  indexBatch(limit: number): number {
    try {
      return this.batchTx(limit)
    } catch (err) {
      // A rolled-back batch may have made a quarter's table that is gone again.
      this.partitions.refresh()
      this.writers.clear()
      throw err
    }
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
