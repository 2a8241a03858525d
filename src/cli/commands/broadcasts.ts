import type { BroadcastSettings } from '../../shared/contract'
import { RegionSchema } from '../../shared/protocol/broadcasts'
import { MessageTextSchema } from '../../shared/schemas'
import { UsageError, defineCommand, field, positionals, type CliCommand } from '../command'
import { ensureAccount, EXIT, online, reportQueued, sendAndWait, type CommandContext } from '../common'

function printSettings({ io, opts }: CommandContext, s: BroadcastSettings): void {
  if (opts.json) io.out(JSON.stringify(s))
  else for (const r of s.regions) io.out(r)
  io.err(s.regions.length ? `Following ${s.regions.length === 1 ? 'one region' : `${s.regions.length} regions`}${s.admin ? '; this account may publish (admin)' : ''}.` : `Following no region${s.admin ? '; this account may publish (admin)' : ''}.`)
}

/** Lists the regions followed, or (with a comma list, "" for none) follows exactly those, connected so the subscriptions change now. */
async function regions(ctx: CommandContext, c: { set: string[] | null }): Promise<number> {
  const { core } = ctx
  if (c.set === null) {
    await ensureAccount(ctx)
    printSettings(ctx, await core.services.broadcasts.settings())
    return EXIT.ok
  }
  const failed = await online(ctx)
  if (failed !== null) return failed
  printSettings(ctx, await core.services.broadcasts.setRegions(c.set))
  return EXIT.ok
}

/** Flags this account admin here (or not): Parley then offers publishing; the broker's ACL decides. */
async function admin(ctx: CommandContext, c: { on: boolean }): Promise<number> {
  await ensureAccount(ctx)
  const s = await ctx.core.services.broadcasts.setAdmin(c.on)
  ctx.io.err(s.admin ? 'This account may publish broadcasts here; the broker must also allow it (write access to R/System/#).' : 'This account no longer publishes broadcasts here.')
  return EXIT.ok
}

/** Publishes one broadcast and waits until the broker has it (exit 0) or refused it (exit 1). */
async function broadcast(ctx: CommandContext, c: { region: string; text: string }): Promise<number> {
  const { core, io } = ctx
  await ensureAccount(ctx)
  if (!(await core.services.broadcasts.settings()).admin) {
    io.err('parley: This account is not flagged admin: only admins publish broadcasts (parley admin on, and write access to R/System/# at the broker).')
    return EXIT.failed
  }
  const conversationId = `system:${c.region}`
  const r = await sendAndWait(
    ctx,
    'message',
    (m) => (m.direction === 'out' && m.conversationId === conversationId ? m : null),
    () => core.services.broadcasts.publish({ region: c.region, text: c.text }),
  )
  if (r === 'timeout') return reportQueued(ctx, 'Not delivered to the broker yet', 'The broadcast')
  if (r.status === 'failed') {
    io.err(`parley: Not broadcast to ${c.region}: ${r.error ?? 'the broker refused it.'}`)
    return EXIT.failed
  }
  io.err(`Broadcast to ${c.region} (${r.id}).`)
  return EXIT.ok
}

export const BROADCAST_COMMANDS: readonly CliCommand[] = [
  defineCommand({
    name: 'regions',
    usage: `regions   --user NAME [eu,us | ""] [--json]          the regions whose broadcasts you follow; with a list,
                                                       follow exactly those ("" for none)`,
    parse: ({ args }) => {
      if (args.length > 1) throw new UsageError('regions takes at most one comma-separated list: parley regions eu,us --user YOU.')
      if (args.length === 0) return { set: null }
      const list = args[0] === '' ? [] : args[0]!.split(',')
      return { set: list.map((r) => field(RegionSchema, r, 'region')) }
    },
    run: regions,
  }),
  defineCommand({
    name: 'admin',
    usage: `admin     --user NAME on|off                        flag this account as a broadcast admin here (the
                                                       broker's ACL must also let it write R/System/#)`,
    parse: ({ args }) => {
      const [v] = positionals(args, 1, 'admin takes on or off: parley admin on --user YOU.')
      if (v !== 'on' && v !== 'off') throw new UsageError('admin takes on or off.')
      return { on: v === 'on' }
    },
    run: admin,
  }),
  defineCommand({
    name: 'broadcast',
    usage: `broadcast --user NAME REGION "text"                 publish a broadcast to a region (admins only; waits
                                                       until the broker has it)`,
    parse: ({ args }) => {
      const [region, text] = positionals(args, 2, 'broadcast takes a region and one text (quote it): parley broadcast eu "text" --user YOU.')
      return { region: field(RegionSchema, region, 'region'), text: field(MessageTextSchema, text, 'message') }
    },
    run: broadcast,
  }),
]
