import type { Moment } from '../../shared/contract'
import { MessageTextSchema } from '../../shared/schemas'
import { Count, defineCommand, field, noArgs, oneName, positionals, type CliCommand } from '../command'
import { connected, ensureAccount, EXIT, online, reportQueued, sendAndWait, untilQuiet, type CommandContext } from '../common'

/** How long `feed` waits for the broker by default: it shows what is stored either way. */
const FEED_CONNECT_SECONDS = 5
/** Once connected, moments the broker queued for us arrive at once: wait until they stop (this long quiet)… */
const FEED_QUIET_MS = 400
/** …but no longer than this. */
const FEED_DRAIN_MS = 3_000
/** Most moments one feed call returns. */
const PAGE = 200

function momentLine(m: Moment, json: boolean): string {
  const time = new Date(m.ts).toISOString()
  if (json) return JSON.stringify({ id: m.id, author: m.author, ts: m.ts, time, text: m.text, mine: m.mine, status: m.status })
  const mark = m.status === 'pending' ? ' (not posted yet)' : m.status === 'failed' ? ' (not posted)' : ''
  return `${time} ${m.author}${mark}: ${m.text}`
}

/** Posts one moment and waits until the broker has it (exit 0) or refused it (exit 1). */
async function post(ctx: CommandContext, c: { text: string }): Promise<number> {
  const { core, io } = ctx
  await ensureAccount(ctx)
  const r = await sendAndWait(ctx, 'moment', (m) => (m.mine ? m : null), () => core.services.moments.post(c.text))
  if (r === 'timeout') return reportQueued(ctx, 'Not posted to the broker yet', 'The moment')
  if (r.status === 'failed') {
    io.err('parley: The broker refused the moment.')
    return EXIT.failed
  }
  io.err(`Posted (${r.id}).`)
  return EXIT.ok
}

/** Connects briefly so moments queued by the broker arrive, then prints the stored feed, newest first. */
async function feed(ctx: CommandContext, c: { limit: number }): Promise<number> {
  const { core, opts, io } = ctx
  await ensureAccount(ctx)
  const off = core.onEvent((event, payload) => {
    // Someone blocked us and asked for us to be told; a silent block stays silent.
    const u = event === 'unfollowedBy' ? (payload as { user: string; notify: boolean }) : null
    if (u?.notify) io.err(`${u.user} blocked you: their moments are no longer followed.`)
  })
  try {
    const seconds = opts.timeoutSeconds ?? FEED_CONNECT_SECONDS
    const link = await connected(core, seconds, io.interrupted)
    if (link === 'connected') {
      await untilQuiet(core, (event) => event === 'moment', { quietMs: FEED_QUIET_MS, maxMs: FEED_DRAIN_MS })
    } else if (link !== 'interrupted') {
      io.err(`parley: could not reach the broker within ${seconds} s (${core.connection.detail ?? core.connection.state}); showing what is stored.`)
    }
  } finally {
    off()
  }
  const moments: Moment[] = []
  let page = await core.services.moments.feed({ limit: Math.min(c.limit, PAGE) })
  moments.push(...page.moments)
  while (page.hasMore && moments.length < c.limit) {
    const oldest = moments.at(-1)!
    page = await core.services.moments.feed({ before: { ts: oldest.ts, id: oldest.id }, limit: Math.min(c.limit - moments.length, PAGE) })
    moments.push(...page.moments)
  }
  for (const m of moments) io.out(momentLine(m, opts.json))
  if (moments.length === 0 && !opts.json) io.err('No moments yet.')
  return EXIT.ok
}

/** Follows or unfollows, connected so the broker subscription changes now. */
async function follow(ctx: CommandContext, c: { user: string; on: boolean }): Promise<number> {
  const failed = await online(ctx)
  if (failed !== null) return failed
  const list = await ctx.core.services.moments.follow(c.user, c.on)
  ctx.io.err(c.on ? `Following ${c.user}'s moments.` : `No longer following ${c.user}'s moments.`)
  for (const user of list) ctx.io.out(ctx.opts.json ? JSON.stringify({ user }) : user)
  return EXIT.ok
}

async function following(ctx: CommandContext): Promise<number> {
  const { core, opts, io } = ctx
  await ensureAccount(ctx)
  const list = await core.services.moments.following()
  for (const user of list) io.out(opts.json ? JSON.stringify({ user }) : user)
  if (list.length === 0 && !opts.json) io.err('You follow nobody yet.')
  return EXIT.ok
}

export const MOMENT_COMMANDS: readonly CliCommand[] = [
  defineCommand({
    name: 'post',
    usage: `post      --user NAME [--broker URL] "text"            post a moment to the people who follow you (waits until
                                                       the broker has it)`,
    parse: ({ args }) => ({ text: field(MessageTextSchema, positionals(args, 1, 'post takes exactly one text (quote it).')[0], 'moment') }),
    run: post,
  }),
  defineCommand({
    name: 'feed',
    usage: `feed      --user NAME [--limit N] [--json]             connect briefly for moments queued while away, then print
                                                       yours and those of the people you follow, newest first`,
    options: { limit: { type: 'string' } },
    parse: ({ args, values }) => {
      noArgs('feed', args)
      return { limit: values.limit === undefined ? 30 : field(Count.max(100_000), values.limit, '--limit') }
    },
    run: feed,
  }),
  defineCommand({
    name: 'follow',
    usage: `follow    NAME --user NAME [--json]                    follow NAME's moments (your contacts are followed unless
                                                       you unfollow them); prints whom you follow`,
    parse: ({ args }) => ({ user: oneName('follow', args), on: true }),
    run: follow,
  }),
  defineCommand({
    name: 'unfollow',
    usage: `unfollow  NAME --user NAME [--json]                    stop following NAME's moments (remembered, even for a
                                                       contact); prints whom you follow`,
    parse: ({ args }) => ({ user: oneName('unfollow', args), on: false }),
    run: follow,
  }),
  defineCommand({
    name: 'following',
    usage: `following --user NAME [--json]                         list whose moments you follow`,
    parse: ({ args }) => noArgs('following', args),
    run: following,
  }),
]
