/**
 * Brings the search index of a generated history up to date the way Parley does
 * it: by opening the engine on the data directory (its search feature catches up
 * what is not indexed) and waiting until its status says nothing is pending.
 */
import { performance } from 'node:perf_hooks'
import { ParleyCore } from '../../src/main/core/engine'

/** Waits until the engine's search index holds every message; null when the engine indexes nothing. */
export async function waitForIndex(core: ParleyCore, onProgress?: (done: number, total: number) => void, timeoutMs = 30 * 60_000): Promise<{ ms: number; indexed: number } | null> {
  const started = performance.now()
  let lastPrint = 0
  for (;;) {
    const { indexed, pending } = await core.services.search.status()
    const now = performance.now()
    if (pending === 0) {
      if (indexed === 0) return null
      onProgress?.(indexed, indexed)
      return { ms: now - started, indexed }
    }
    if (now - lastPrint > 1000) {
      lastPrint = now
      onProgress?.(indexed, indexed + pending)
    }
    if (now - started > timeoutMs) throw new Error(`the search index did not catch up within ${timeoutMs / 1000} s (${pending} pending)`)
    await new Promise((r) => setTimeout(r, 100))
  }
}

/** Opens the engine on `dataDir` just long enough to index it. */
export async function indexHistory(dataDir: string, onProgress?: (done: number, total: number) => void): Promise<{ ms: number; indexed: number } | null> {
  const core = await ParleyCore.open({ dataDir })
  try {
    return await waitForIndex(core, onProgress)
  } finally {
    await core.close()
  }
}
