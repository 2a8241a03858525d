import { randomUUID } from 'node:crypto'
import type { HistoryJob, HistoryJobKind } from '../../../../shared/contract'

/** At most this often a running job tells the UI how far it is (5 a second). */
export const PROGRESS_EVERY_MS = 200

/** One export or import as it runs: its public state, and whether it was asked to stop. */
export class RunningJob {
  readonly job: HistoryJob
  cancelled = false
  private lastEmit = 0
  /** Settles when the job is over (done, failed or cancelled). */
  readonly finished: Promise<void>
  private finish: () => void = () => {}

  constructor(
    kind: HistoryJobKind,
    total: number,
    path: string | null,
    private readonly emit: (job: HistoryJob) => void,
  ) {
    this.job = { id: randomUUID(), kind, state: 'running', done: 0, total, path, added: 0, skipped: 0, invalid: 0, error: null }
    this.finished = new Promise((r) => (this.finish = r))
  }

  snapshot(): HistoryJob {
    return { ...this.job }
  }

  /** Tells the UI how far the job is, unless it did so less than PROGRESS_EVERY_MS ago. */
  progress(): void {
    const now = Date.now()
    if (now - this.lastEmit < PROGRESS_EVERY_MS) return
    this.lastEmit = now
    this.emit(this.snapshot())
  }

  /** The job is over: its last event, always sent. */
  end(state: 'done' | 'failed' | 'cancelled', error: string | null = null): void {
    this.job.state = state
    this.job.error = error
    this.emit(this.snapshot())
    this.finish()
  }
}

/** Lets the event loop run (IPC, MQTT, timers) between two pages of a long job. */
export const breathe = (): Promise<void> => new Promise((r) => setImmediate(r))
