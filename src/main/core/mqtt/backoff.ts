/**
 * "Full jitter" exponential back-off (AWS architecture blog): a random delay in
 * [floor, min(cap, base·2^attempt)], so a broker restart is not met by every
 * client reconnecting in the same instant.
 */
export interface BackoffOptions {
  baseMs: number
  capMs: number
  floorMs: number
}

export const DEFAULT_BACKOFF: BackoffOptions = { baseMs: 500, capMs: 30_000, floorMs: 250 }

export function backoffDelay(attempt: number, opts: BackoffOptions = DEFAULT_BACKOFF, random: () => number = Math.random): number {
  const ceiling = Math.min(opts.capMs, opts.baseMs * 2 ** Math.min(attempt, 30))
  return Math.round(opts.floorMs + random() * Math.max(0, ceiling - opts.floorMs))
}
