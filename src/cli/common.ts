import { readFileSync, statSync } from 'node:fs'
import type { ParleyEventName, ParleyEvents } from '../shared/contract'
import { ParleyError } from '../shared/rpc'
import { publicBroker, type ParleyCore } from '../main/core/engine'
import type { CliOptions } from './args'

export const EXIT = { ok: 0, failed: 1, usage: 2, timeout: 3, dataDir: 4 } as const

export interface CliIo {
  out(line: string): void
  err(line: string): void
  env: NodeJS.ProcessEnv
  /** stdout is a terminal that shows ANSI styles (not a pipe or file, no NO_COLOR): output may be bold. */
  styled?: boolean
  /** Resolves when the process is asked to stop (SIGINT/SIGTERM). */
  interrupted: Promise<void>
}

/** What one command gets to run with. */
export interface CommandContext {
  core: ParleyCore
  opts: CliOptions
  io: CliIo
}

/** Resolves with the first value `pick` returns for an event named `event`. */
export function nextEvent<K extends ParleyEventName, T>(core: ParleyCore, event: K, pick: (payload: ParleyEvents[K]) => T | undefined): Promise<T> {
  return new Promise((resolve) => {
    const off = core.onEvent((name: string, payload: unknown) => {
      if (name !== event) return
      const v = pick(payload as ParleyEvents[K])
      if (v !== undefined) {
        off()
        resolve(v)
      }
    })
  })
}

/** Resolves with 'timeout' after `seconds` (never, for null). */
export function delay(seconds: number | null): Promise<'timeout'> {
  return seconds === null ? new Promise(() => {}) : new Promise((r) => setTimeout(() => r('timeout'), seconds * 1000).unref())
}

/** A file named on the command line, read whole if it is at most `maxBytes` (whole MiB); else why not, naming it. */
export function readFileArg(path: string, maxBytes: number): Buffer {
  let size: number
  try {
    size = statSync(path).size
  } catch {
    throw new ParleyError(`Cannot read ${path}: no such file.`, 'invalid-argument')
  }
  if (size > maxBytes) throw new ParleyError(`${path} is over ${maxBytes / (1024 * 1024)} MB.`, 'invalid-argument')
  return readFileSync(path)
}

export function requireOwner(core: ParleyCore, user: string): void {
  const owner = core.user
  if (owner && owner !== user) {
    throw new ParleyError(`This data directory belongs to ${owner}, not ${user}. Use --data-dir for ${user}.`, 'invalid-argument')
  }
}

/** Makes the data directory's account match --user/--broker (first use sets it up); the core then connects. */
export async function ensureAccount({ core, opts }: CommandContext): Promise<void> {
  const state = await core.services.account.getState()
  const user = opts.user
  // With --broker, set-up itself refuses to switch a history to another user.
  if (!opts.broker) requireOwner(core, user)
  if (opts.broker) {
    const same = state.configured && state.user === user && JSON.stringify(state.broker) === JSON.stringify(publicBroker(opts.broker))
    if (!same) await core.services.account.setup({ user, broker: opts.broker })
  } else if (!state.configured) {
    throw new ParleyError(`No broker is set for ${user} yet: pass --broker URL (or --broker embedded).`, 'not-configured')
  }
}

/**
 * Waits until the core is connected: 'connected', or a reason it is not — 'timeout'
 * (still trying), 'refused' (the broker refused the credentials; no retry) or
 * 'interrupted'.
 */
export async function connected(core: ParleyCore, seconds: number, interrupted: Promise<void>): Promise<'connected' | 'timeout' | 'refused' | 'interrupted'> {
  const now = core.connection.state
  if (now === 'connected') return 'connected'
  if (now === 'error') return 'refused'
  return Promise.race([
    nextEvent(core, 'connection', (s) => (s.state === 'connected' ? ('connected' as const) : s.state === 'error' ? ('refused' as const) : undefined)),
    delay(seconds),
    interrupted.then(() => 'interrupted' as const),
  ])
}

/**
 * Sets up the account if needed and waits for the broker: null once connected, or
 * the exit code after printing why not (refused: 1, not reachable in time: 3).
 */
export async function online(ctx: CommandContext, defaultSeconds = 15): Promise<number | null> {
  const { core, opts, io } = ctx
  await ensureAccount(ctx)
  const seconds = opts.timeoutSeconds ?? defaultSeconds
  const link = await connected(core, seconds, io.interrupted)
  if (link === 'connected') return null
  const why = core.connection.detail ?? core.connection.state
  io.err(link === 'refused' ? `parley: ${why}` : `parley: could not reach the broker within ${seconds} s (${why}).`)
  return link === 'refused' ? EXIT.failed : EXIT.timeout
}

/**
 * `outcome`, or 'timeout' after --timeout (15 s unless given) or a signal: how long
 * a command waits for the broker to take what it sent.
 */
export function withinTimeout<T>({ opts, io }: CommandContext, outcome: Promise<T>): Promise<T | 'timeout'> {
  return Promise.race([outcome, delay(opts.timeoutSeconds ?? 15), io.interrupted.then(() => 'timeout' as const)])
}

/** Says that what the command sent is not at the broker yet but waits in the outbox; the exit code for that (3). */
export function reportQueued({ core, opts, io }: CommandContext, notYet: string, what: string): number {
  io.err(`${notYet} (${core.connection.detail ?? core.connection.state}). ${what} is queued and goes out the next time Parley runs for ${opts.user}.`)
  return EXIT.timeout
}

/** Something the command sends through the outbox, whose status says whether the broker has it. */
interface Outgoing {
  id: string
  status: string
}

/**
 * Sends with `send` and waits until the broker has it or refused it: the item at
 * its first status past 'pending', whether the answer or an `event` says so first
 * (`mine` picks my outgoing items out of the events); 'timeout' as withinTimeout.
 */
export async function sendAndWait<K extends ParleyEventName, T extends Outgoing>(
  ctx: CommandContext,
  event: K,
  mine: (payload: ParleyEvents[K]) => T | null,
  send: () => Promise<T>,
): Promise<T | 'timeout'> {
  const outcomes = new Map<string, T>()
  let id = ''
  let settle: (item: T) => void = () => {}
  const settled = new Promise<T>((r) => (settle = r))
  const off = ctx.core.onEvent((name: string, payload: unknown) => {
    if (name !== event) return
    const item = mine(payload as ParleyEvents[K])
    if (!item || item.status === 'pending' || outcomes.has(item.id)) return
    outcomes.set(item.id, item)
    if (item.id === id) settle(item)
  })
  try {
    const sent = await send()
    id = sent.id
    const known = outcomes.get(id) ?? (sent.status !== 'pending' ? sent : undefined)
    if (known) settle(known)
    return await withinTimeout(ctx, settled)
  } finally {
    off()
  }
}

/**
 * Resolves once no `news` event came for `quietMs`, after at least `minMs` and at
 * most `maxMs` (or at a signal, when `interrupted` is given): what the broker
 * queued for us has arrived.
 */
export async function untilQuiet(
  core: ParleyCore,
  news: (event: ParleyEventName) => boolean,
  t: { minMs?: number; quietMs: number; maxMs: number },
  interrupted?: Promise<void>,
): Promise<void> {
  const started = Date.now()
  let last = started
  const off = core.onEvent((event) => {
    if (news(event)) last = Date.now()
  })
  const stop = interrupted?.then(() => 'stop' as const) ?? new Promise<never>(() => {})
  try {
    for (;;) {
      const now = Date.now()
      if (now - started >= t.maxMs || (now - started >= (t.minMs ?? 0) && now - last >= t.quietMs)) return
      if ((await Promise.race([delay(0.05), stop])) === 'stop') return
    }
  } finally {
    off()
  }
}
