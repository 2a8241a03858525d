import type { BlockedUser } from '../../shared/contract'
import { defineCommand, noArgs, oneName, type CliCommand } from '../command'
import { connected, ensureAccount, EXIT, requireOwner, type CommandContext } from '../common'

/**
 * Blocks at once (it is a local decision), then connects so the Unsub notice goes
 * out before exiting; when the broker cannot be reached the notice waits in the
 * outbox for the next run, and the block stands all the same.
 */
async function block(ctx: CommandContext, c: { user: string; notify: boolean }): Promise<number> {
  const { core, opts, io } = ctx
  await ensureAccount(ctx)
  const b = await core.services.blocking.block(c.user, { notify: c.notify })
  const seconds = opts.timeoutSeconds ?? 15
  const link = await connected(core, seconds, io.interrupted)
  const told = b.notified ? 'told they were blocked' : 'not told'
  if (link === 'connected') io.err(`Blocked ${c.user} (${told}; their Parley stops following your moments).`)
  else io.err(`Blocked ${c.user} (${told}). The broker could not be reached: the notice to stop following your moments goes out the next time Parley runs for ${opts.user}.`)
  return EXIT.ok
}

async function unblock({ core, opts, io }: CommandContext, c: { user: string }): Promise<number> {
  requireOwner(core, opts.user)
  const was = (await core.services.blocking.list()).some((b) => b.user === c.user)
  await core.services.blocking.unblock(c.user)
  io.err(was ? `Unblocked ${c.user}.` : `${c.user} was not blocked.`)
  return EXIT.ok
}

function blockedLine(b: BlockedUser, json: boolean): string {
  const since = new Date(b.since).toISOString()
  return json ? JSON.stringify({ user: b.user, since, notified: b.notified }) : `${b.user} (since ${since}${b.notified ? ', told' : ''})`
}

async function blocked({ core, opts, io }: CommandContext): Promise<number> {
  requireOwner(core, opts.user)
  const list = await core.services.blocking.list()
  for (const b of list) io.out(blockedLine(b, opts.json))
  if (list.length === 0 && !opts.json) io.err('Nobody is blocked.')
  return EXIT.ok
}

export const BLOCKING_COMMANDS: readonly CliCommand[] = [
  defineCommand({
    name: 'block',
    usage: `block     NAME --user NAME [--notify] [--broker URL]   drop everything from NAME from now on (messages, requests,
                                                       presence, typing, profile, moments) and tell their Parley
                                                       to stop following your moments; --notify lets it tell them`,
    options: { notify: { type: 'boolean' } },
    parse: ({ args, values }) => ({ user: oneName('block', args), notify: values.notify === true }),
    run: block,
  }),
  defineCommand({
    name: 'unblock',
    usage: `unblock   NAME --user NAME                             take NAME off your block list (new messages arrive again)`,
    parse: ({ args }) => ({ user: oneName('unblock', args) }),
    run: unblock,
  }),
  defineCommand({
    name: 'blocked',
    usage: `blocked   --user NAME [--json]                         list the people you blocked, newest first`,
    parse: ({ args }) => noArgs('blocked', args),
    run: blocked,
  }),
]
