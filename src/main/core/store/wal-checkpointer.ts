import type Database from 'better-sqlite3'

/**
 * SQLite's automatic WAL checkpoint runs inside whichever commit crosses 1000
 * pages — an fsync of several milliseconds in the middle of receiving a
 * message. Instead, checkpoints run once writing has paused (or when a long
 * burst has piled up many changes), so bursts are not interrupted.
 */
export class WalCheckpointer {
  private readonly changes
  private seen: number
  private checkpointedAt: number
  private quietSince = Date.now()
  private readonly timer: NodeJS.Timeout

  constructor(
    private readonly db: Database.Database,
    private readonly opts = { pollMs: 250, quietMs: 500, maxChanges: 50_000 },
  ) {
    db.pragma('wal_autocheckpoint = 0')
    this.changes = db.prepare('SELECT total_changes() AS n').pluck()
    this.seen = this.checkpointedAt = this.changes.get() as number
    this.timer = setInterval(() => {
      try {
        this.tick()
      } catch {
        // A failed checkpoint (disk full, I/O error) is retried on the next tick;
        // SQLite keeps the WAL intact, and a timer must never crash the app.
      }
    }, opts.pollMs)
    this.timer.unref()
  }

  private tick(): void {
    if (!this.db.open) return
    const now = this.changes.get() as number
    if (now !== this.seen) {
      this.seen = now
      this.quietSince = Date.now()
    }
    const pending = now - this.checkpointedAt
    if (pending > 0 && (Date.now() - this.quietSince >= this.opts.quietMs || pending >= this.opts.maxChanges)) this.checkpoint()
  }

  checkpoint(): void {
    if (!this.db.open) return
    this.db.pragma('wal_checkpoint(PASSIVE)')
    this.checkpointedAt = this.seen = this.changes.get() as number
  }

  /** Stops polling and folds the WAL into the database file (a clean close). */
  close(): void {
    clearInterval(this.timer)
    if (this.db.open) this.db.pragma('wal_checkpoint(TRUNCATE)')
  }
}
