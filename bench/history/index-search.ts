/**
 * Brings the search index of a generated history up to date with the search
 * feature's own indexer (the one the engine runs in slices between messages),
 * here in large batches since nothing else is waiting; and waits for an open
 * engine's index to catch up.
 */
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import type { ParleyCore } from '../../src/main/core/engine'
import { ALL_MIGRATIONS } from '../../src/main/core/features'
import { SearchIndexer } from '../../src/main/core/features/search/indexer'
import { openDatabase } from '../../src/main/core/store/open-database'
import { bulkWriting } from './generate'

/** Waits until the engine's search index holds every message; null when there was nothing to wait for. */
export async function waitForIndex(core: ParleyCore, onProgress?: (done: number, total: number) => void, timeoutMs = 30 * 60_000): Promise<{ ms: number; indexed: number } | null> {
  const started = performance.now()
  let lastPrint = 0
  for (let first = true; ; first = false) {
    const { indexed, pending } = await core.services.search.status()
    const now = performance.now()
    if (pending === 0) {
      onProgress?.(indexed, indexed)
      return first ? null : { ms: now - started, indexed }
    }
    if (now - lastPrint > 1000) {
      lastPrint = now
      onProgress?.(indexed, indexed + pending)
    }
    if (now - started > timeoutMs) throw new Error(`the search index did not catch up within ${timeoutMs / 1000} s (${pending} pending)`)
    await new Promise((r) => setTimeout(r, 50))
  }
}

/** Indexes everything queued in the history of `dataDir` (no engine may have it open). */
export function indexHistory(dataDir: string, onProgress?: (done: number, total: number) => void): { ms: number; indexed: number } {
  const started = performance.now()
  const { db } = openDatabase(join(dataDir, 'history.db'), ALL_MIGRATIONS)
  bulkWriting(db)
  try {
    const indexer = new SearchIndexer(db)
    const total = indexer.pending()
    let last = 0
    const indexed = indexer.catchUp(10_000, (done) => {
      if (done === total || performance.now() - last > 1000) {
        last = performance.now()
        onProgress?.(done, total)
      }
    })
    db.pragma('wal_checkpoint(TRUNCATE)')
    return { ms: performance.now() - started, indexed }
  } finally {
    db.close()
  }
}
