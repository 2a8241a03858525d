import { describe, expect, it } from 'vitest'
import { backoffDelay, DEFAULT_BACKOFF, type BackoffOptions } from '../../../../src/main/core/mqtt/backoff'

describe('jittered back-off', () => {
  const opts: BackoffOptions = { baseMs: 100, capMs: 5_000, floorMs: 50 }

  it('stays within [floor, cap] for any attempt and any random value', () => {
    let seed = 42
    const rand = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31
      return seed / 2 ** 31
    }
    for (let attempt = 0; attempt < 200; attempt++) {
      for (const o of [opts, DEFAULT_BACKOFF]) {
        const d = backoffDelay(attempt, o, rand)
        expect(d).toBeGreaterThanOrEqual(o.floorMs)
        expect(d).toBeLessThanOrEqual(o.capMs)
        expect(Number.isInteger(d)).toBe(true)
      }
    }
    // Absurd attempt numbers (a long outage) do not overflow into NaN/Infinity.
    expect(backoffDelay(1e9, opts, () => 1)).toBe(opts.capMs)
  })

  it('the ceiling grows with the attempt until the cap', () => {
    const top = (a: number) => backoffDelay(a, opts, () => 1)
    expect(top(0)).toBe(100)
    expect(top(1)).toBe(200)
    expect(top(2)).toBe(400)
    expect(top(5)).toBe(3_200)
    expect(top(6)).toBe(5_000)
    expect(top(20)).toBe(5_000)
    for (let a = 1; a < 10; a++) expect(top(a)).toBeGreaterThanOrEqual(top(a - 1))
  })

  it('uses the injected random source: 0 → floor, 1 → ceiling, 0.5 → midway', () => {
    let calls = 0
    const counting = () => {
      calls++
      return 0.5
    }
    expect(backoffDelay(3, opts, () => 0)).toBe(opts.floorMs)
    expect(backoffDelay(3, opts, () => 1)).toBe(800)
    expect(backoffDelay(3, opts, counting)).toBe(Math.round(50 + 0.5 * (800 - 50)))
    expect(calls).toBe(1)
  })

  it('defaults start small so a broker restart is retried quickly', () => {
    expect(backoffDelay(0, DEFAULT_BACKOFF, () => 1)).toBeLessThanOrEqual(1_000)
    expect(backoffDelay(0, DEFAULT_BACKOFF, () => 0)).toBe(DEFAULT_BACKOFF.floorMs)
  })
})
