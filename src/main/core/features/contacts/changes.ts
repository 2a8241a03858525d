import type { Contact, ContactsChange } from '../../../../shared/contract'

/** How long changes gather before one event tells of them all. */
export const CHANGE_DELAY_MS = 100

/**
 * Gathers which people changed and, a moment later, tells of them in one batch as
 * they are stored then: a flood of requests becomes a few events, not one per
 * request, and what a rolled-back transaction touched comes out as it really is.
 * It only ever fires from a timer, so never inside a transaction.
 */
export class ChangeBatcher {
  private readonly touched = new Set<string>()
  private timer: NodeJS.Timeout | null = null
  private closed = false

  constructor(
    /** The person as stored now, or null when they are not listed (any more). */
    private readonly read: (user: string) => Contact | null,
    private readonly emit: (change: ContactsChange) => void,
    private readonly delayMs = CHANGE_DELAY_MS,
  ) {}

  touch(user: string): void {
    if (this.closed) return
    this.touched.add(user)
    if (!this.timer) this.timer = setTimeout(() => this.flush(), this.delayMs)
  }

  flush(): void {
    if (this.timer) clearTimeout(this.timer)
    this.timer = null
    if (this.closed || this.touched.size === 0) return
    const change: ContactsChange = { changed: [], removed: [] }
    for (const user of this.touched) {
      const c = this.read(user)
      if (c) change.changed.push(c)
      else change.removed.push(user)
    }
    this.touched.clear()
    this.emit(change)
  }

  close(): void {
    this.closed = true
    if (this.timer) clearTimeout(this.timer)
    this.timer = null
    this.touched.clear()
  }
}
