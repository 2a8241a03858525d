import type { Presence } from '../../shared/contract'
import { defineCommand, oneName, type CliCommand } from '../command'
import { delay, EXIT, nextEvent, online, type CommandContext } from '../common'

/** How long to wait for the presence of someone who may never have been seen. */
const ANSWER_SECONDS = 2
/** After the first answer, a moment for the retained presence of their other devices. */
const SETTLE_SECONDS = 0.25

export function presenceText(p: Presence): string {
  if (p.state !== 'offline') return p.state
  return p.lastSeen === null ? 'offline, never seen' : `offline, last seen ${new Date(p.lastSeen).toISOString()}`
}

/** Connects, follows `c.of`'s presence and prints it once the broker has told us (or after a short wait). */
async function presence(ctx: CommandContext, c: { of: string }): Promise<number> {
  const { core, opts, io } = ctx
  const failed = await online(ctx)
  if (failed !== null) return failed
  // Listen first: asking makes the core subscribe, and the retained answer can come at once.
  const heard = nextEvent(core, 'presence', (p) => (p.user === c.of ? true : undefined))
  await core.services.presence.get(c.of)
  const r = await Promise.race([heard, delay(ANSWER_SECONDS), io.interrupted.then(() => 'stop' as const)])
  if (r === true) await delay(SETTLE_SECONDS)
  const p = await core.services.presence.get(c.of)
  io.out(opts.json ? JSON.stringify({ user: p.user, state: p.state, lastSeen: p.lastSeen === null ? null : new Date(p.lastSeen).toISOString() }) : presenceText(p))
  return EXIT.ok
}

export const PRESENCE_COMMANDS: readonly CliCommand[] = [
  defineCommand({
    name: 'presence',
    usage: `presence  NAME --user NAME [--broker URL] [--json]     print NAME's presence: online, away, dnd, or
                                                       "offline, last seen TIME" / "offline, never seen";
                                                       --json prints {"user","state","lastSeen"} (ISO time or null)`,
    parse: ({ args }) => ({
      of: oneName('presence', args),
    }),
    run: presence,
  }),
]
