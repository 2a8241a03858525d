/** Small helpers the benches share: percentiles and timing a call many times. */
import { performance } from 'node:perf_hooks'

export const percentile = (xs: readonly number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? NaN
}

export interface Timing {
  p50: number
  p95: number
  max: number
  runs: number
}

export const summarize = (ms: readonly number[]): Timing => ({ p50: percentile(ms, 50), p95: percentile(ms, 95), max: Math.max(...ms), runs: ms.length })

/** Times `fn` `runs` times after `warm` untimed calls (ms each). `arg` picks the input of run i. */
export async function timeRuns<A>(runs: number, warm: number, arg: (i: number) => A, fn: (a: A) => Promise<unknown>): Promise<Timing> {
  for (let i = 0; i < warm; i++) await fn(arg(i))
  const ms: number[] = []
  for (let i = 0; i < runs; i++) {
    const a = arg(i)
    const t = performance.now()
    await fn(a)
    ms.push(performance.now() - t)
  }
  return summarize(ms)
}

export const mb = (bytes: number): number => Math.round((bytes / (1024 * 1024)) * 10) / 10
