import type { Presence } from '../../shared/contract'
import type { Command } from '../args'
import { connected, delay, ensureAccount, EXIT, nextEvent, type CommandContext } from '../common'

/** How long to wait for the presence of someone who may never have been seen. */
const ANSWER_SECONDS = 2
/** After the first answer, a moment for the retained presence of their other devices. */
const SETTLE_SECONDS = 0.25

export function presenceText(p: Presence): string {
  if (p.state !== 'offline') return p.state
  return p.lastSeen === null ? 'offline, never seen' : `offline, last seen ${new Date(p.lastSeen).toISOString()}`
}

/** Connects, follows `c.of`'s presence and prints it once the broker has told us (or after a short wait). */
export async function presence(ctx: CommandContext, c: Extract<Command, { cmd: 'presence' }>): Promise<number> {
  const { core, opts, io } = ctx
  await ensureAccount(ctx)
  const seconds = opts.timeoutSeconds ?? 15
  const link = await connected(core, seconds, io.interrupted)
  if (link !== 'connected') {
    const why = core.connection.detail ?? core.connection.state
    io.err(link === 'refused' ? `parley: ${why}` : `parley: could not reach the broker within ${seconds} s (${why}).`)
    return link === 'refused' ? EXIT.failed : EXIT.timeout
  }
  // Listen first: asking makes the core subscribe, and the retained answer can come at once.
  const heard = nextEvent(core, 'presence', (p) => (p.user === c.of ? true : undefined))
  await core.services.presence.get(c.of)
  const r = await Promise.race([heard, delay(ANSWER_SECONDS), io.interrupted.then(() => 'stop' as const)])
  if (r === true) await delay(SETTLE_SECONDS)
  const p = await core.services.presence.get(c.of)
  io.out(c.json ? JSON.stringify({ user: p.user, state: p.state, lastSeen: p.lastSeen === null ? null : new Date(p.lastSeen).toISOString() }) : presenceText(p))
  return EXIT.ok
}
