/**
 * Generated histories kept between bench runs: one directory per set of
 * parameters under the system temp dir, reused while its summary file is there
 * (a run that stopped half way leaves none, and is started over).
 */
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { generateHistory, type GenerateOptions, type GeneratedHistory } from './generate'

/** Bumped whenever the generator writes something different for the same parameters. */
const GENERATOR_VERSION = 1
const SUMMARY = 'generated.json'

export type CachedOptions = Omit<GenerateOptions, 'dataDir' | 'onProgress'>

export function cacheDir(o: CachedOptions): string {
  const key = [o.messages, o.user ?? 'me', o.conversations ?? 50, o.seed ?? 1, o.bigConversation ?? 0, GENERATOR_VERSION].join('-')
  return join(tmpdir(), `parley-history-${key}`)
}

/** The summary of a history generated earlier into `dataDir`, or null. */
export function readSummary(dataDir: string): GeneratedHistory | null {
  const path = join(dataDir, SUMMARY)
  return existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as GeneratedHistory) : null
}

/** Keeps what the generator wrote next to the history, for the benches (`--data-dir`). */
export function writeSummary(h: GeneratedHistory): void {
  writeFileSync(join(h.dataDir, SUMMARY), JSON.stringify(h))
}

/**
 * The history for these parameters: the cached one, or a new one generated now
 * (`fresh` says which). `prepare` runs on a new one before it is marked complete
 * (e.g. building the search index).
 */
export async function cachedHistory(
  o: CachedOptions,
  log: (line: string) => void,
  prepare?: (h: GeneratedHistory) => Promise<void>,
): Promise<{ history: GeneratedHistory; fresh: boolean }> {
  const dataDir = cacheDir(o)
  const known = readSummary(dataDir)
  if (known) return { history: known, fresh: false }
  rmSync(dataDir, { recursive: true, force: true })
  let last = 0
  const history = generateHistory({
    ...o,
    dataDir,
    onProgress(done, total) {
      if (done === total || Date.now() - last > 2000) {
        last = Date.now()
        log(`generating: ${done.toLocaleString('en')} / ${total.toLocaleString('en')} messages`)
      }
    },
  })
  log(`generated ${history.messages.toLocaleString('en')} messages in ${(history.ms / 1000).toFixed(1)} s into ${dataDir}`)
  await prepare?.(history)
  writeSummary(history)
  return { history, fresh: true }
}
