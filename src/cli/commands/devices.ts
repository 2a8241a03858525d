import { z } from 'zod'
import { DeviceNameSchema, LinkInputSchema, type Device } from '../../shared/contract'
import { NameSchema } from '../../shared/protocol/names'
import { parseBroker } from '../args'
import { defineCommand, field, UsageError, type CliCommand } from '../command'
import { EXIT, online, untilQuiet, type CommandContext } from '../common'
import { presenceText } from './presence'

/** After connecting, how long the device list may keep changing (retained presence and device records arriving). */
const QUIET_MS = 400
const SETTLE_MAX_MS = 2_500

/** Resolves once no `devices` event came for QUIET_MS (at most SETTLE_MAX_MS): the broker has told us what it keeps. */
function settled(ctx: CommandContext): Promise<void> {
  return untilQuiet(ctx.core, (event) => event === 'devices', { quietMs: QUIET_MS, maxMs: SETTLE_MAX_MS })
}

const SYNC_TEXT: Record<Device['sync'], string> = {
  linked: 'linked',
  unlinked: 'not linked',
  removed: 'removed by another device: not syncing',
}

function deviceLine(d: Device, json: boolean): string {
  if (json) {
    return JSON.stringify({ ...d, lastSeen: d.lastSeen === null ? null : new Date(d.lastSeen).toISOString() })
  }
  const presence = d.current ? 'this device' : presenceText({ user: '', state: d.state, lastSeen: d.lastSeen })
  return `${d.id}  ${d.name} (${presence}; ${SYNC_TEXT[d.sync]})`
}

type DevicesInput = { action: 'list' } | { action: 'rename'; name: string } | { action: 'remove'; id: string }

async function devices(ctx: CommandContext, c: DevicesInput): Promise<number> {
  const { core, opts, io } = ctx
  const failed = await online(ctx)
  if (failed !== null) return failed
  await settled(ctx)
  let list: Device[]
  if (c.action === 'rename') list = await core.services.devices.rename(c.name)
  else if (c.action === 'remove') {
    list = await core.services.devices.remove(c.id)
    io.err(c.id === list[0]?.id ? 'This device left the device sync of your account.' : `Removed ${c.id}: it no longer syncs with your devices.`)
  } else list = await core.services.devices.list()
  if (c.action === 'list' || opts.json) for (const d of list) io.out(deviceLine(d, opts.json))
  if (c.action === 'list' && list[0]?.sync !== 'linked' && !opts.json) {
    io.err(`This device is not linked: run "parley link --offer" on one device of ${opts.user}, then "parley link CODE" on the other.`)
  }
  return EXIT.ok
}

type LinkCommand = { offer: true } | { offer: false; input: string }

/** A link's broker, for setting up a new data directory from it (`parley link LINK --user me`). */
function brokerOf(input: string): string | null {
  if (!/^parley:/i.test(input.trim())) return null
  try {
    return new URL(input.trim()).searchParams.get('broker')
  } catch {
    return null
  }
}

/** A broker URL without any user name or password written into it. */
function withoutCredentials(broker: string): string {
  try {
    const u = new URL(broker)
    u.username = ''
    u.password = ''
    return u.toString()
  } catch {
    return broker
  }
}

async function link(ctx: CommandContext, c: LinkCommand): Promise<number> {
  const { core, io } = ctx
  let run = ctx
  if (!c.offer && !ctx.opts.broker && !(await core.services.account.getState()).configured) {
    const broker = brokerOf(c.input)
    if (broker) run = { ...ctx, opts: { ...ctx.opts, broker: parseBroker(broker) } }
  }
  const failed = await online(run)
  if (failed !== null) return failed
  const { opts } = run
  if (c.offer) {
    const offer = await core.services.devices.offerLink()
    // The link may carry the broker (never its password), so a new data directory can be set up from it.
    const state = await core.services.account.getState()
    const broker = state.broker?.kind === 'url' ? state.broker.url : state.broker?.kind === 'embedded' ? `embedded:${state.broker.port}` : null
    const url = new URL(offer.link)
    if (broker) url.searchParams.set('broker', withoutCredentials(broker))
    if (opts.json) io.out(JSON.stringify({ link: url.toString(), code: offer.code }))
    else {
      io.out(`Link: ${url.toString()}`)
      io.out(`Code: ${offer.code}`)
      io.err(`On your other device (set up as ${opts.user} on the same broker): parley link CODE --user ${opts.user}`)
    }
    return EXIT.ok
  }
  await core.services.devices.link(c.input)
  await settled(run)
  const list = await core.services.devices.list()
  const others = list.filter((d) => !d.current && d.sync === 'linked')
  if (opts.json) for (const d of list) io.out(deviceLine(d, true))
  else {
    io.out(`Linked ${list[0]!.name} (${list[0]!.id}).`)
    if (others.length) for (const d of others) io.out(`  with ${deviceLine(d, false)}`)
    else io.err('No other device of yours has answered yet: it will show once it is online (or check that the link or code is this account’s).')
  }
  return EXIT.ok
}

export const DEVICE_COMMANDS: readonly CliCommand[] = [
  defineCommand({
    name: 'devices',
    usage: `devices   --user NAME [--json]                         list your devices: id, name, presence, linked or not
devices   rename NAME --user NAME                      name this device (shown on your other devices)
devices   remove ID --user NAME                        remove a device from the sync (your own id: leave it)`,
    parse: ({ args }): DevicesInput => {
      const [action, value, ...rest] = args
      if (action === undefined) return { action: 'list' }
      if (rest.length || value === undefined || (action !== 'rename' && action !== 'remove')) {
        throw new UsageError('devices takes nothing (list), "rename NAME" or "remove ID".')
      }
      if (action === 'rename') return { action, name: field(DeviceNameSchema, z.string().trim().parse(value), 'devices rename NAME') }
      return { action, id: field(NameSchema, value, 'devices remove ID') }
    },
    run: devices,
  }),
  defineCommand({
    name: 'link',
    usage: `link      --offer --user NAME [--json]                 print a parley://link and a code that link another
                                                       device of yours to this one (it stays valid)
link      LINK-OR-CODE --user NAME [--broker URL]      link this device with your others; a link may also
                                                       set up the broker of a new data directory`,
    options: { offer: { type: 'boolean' } },
    parse: ({ args, values }): LinkCommand => {
      if (values.offer === true) {
        if (args.length) throw new UsageError('link --offer takes no argument.')
        return { offer: true }
      }
      // A code may be typed in groups with spaces: join the arguments.
      if (args.length === 0) throw new UsageError('link takes a parley://link or a code, or --offer.')
      return { offer: false, input: field(LinkInputSchema, args.join(' '), 'link LINK-OR-CODE') }
    },
    run: link,
  }),
]
