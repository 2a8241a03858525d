import { z } from 'zod'
import { GroupNameSchema, MAX_GROUP_MEMBERS, type GroupSummary } from '../../shared/contract'
import { GroupIdSchema } from '../../shared/protocol/group-id'
import { NameSchema } from '../../shared/protocol/names'
import { MessageTextSchema } from '../../shared/schemas'
import { defineCommand, field, noArgs, UsageError, type CliCommand } from '../command'
import { EXIT, online, reportQueued, sendAndWait, untilQuiet, withinTimeout, type CommandContext } from '../common'

/** `--members a,b`: names, each valid; a name given twice counts once. */
const MemberList = z
  .string()
  .transform((s) => [...new Set(s.split(','))])
  .pipe(z.array(NameSchema).min(1).max(MAX_GROUP_MEMBERS - 1, { error: `at most ${MAX_GROUP_MEMBERS - 1} members.` }))

/** What arrives after connecting (invites, metadata, messages) and what goes out: a short wait that ends once things are quiet. */
function settle({ core, io }: CommandContext): Promise<void> {
  const news = (event: string) => event === 'group' || event === 'groupRemoved' || event === 'message'
  return untilQuiet(core, news, { minMs: 500, quietMs: 400, maxMs: 3_000 }, io.interrupted)
}

/** Connects and settles; the exit code when the broker could not be reached, else null. */
async function catchUp(ctx: CommandContext): Promise<number | null> {
  const failed = await online(ctx, 10)
  if (failed === null) await settle(ctx)
  return failed
}

function groupLine(g: GroupSummary, json: boolean): string {
  const admins = g.members.filter((m) => m.admin).map((m) => m.user)
  if (json) {
    return JSON.stringify({
      id: g.id,
      name: g.name,
      membership: g.membership,
      admin: g.admin,
      members: g.members.map((m) => ({ user: m.user, state: m.state, admin: m.admin })),
      invitedBy: g.invitedBy,
      muted: g.muted,
      version: g.version,
    })
  }
  const people = g.members.map((m) => `${m.user}${m.admin ? ' (admin)' : m.state === 'invited' ? ' (invited)' : ''}`).join(', ')
  const where = g.membership === 'invited' ? ` — invited by ${g.invitedBy ?? 'an admin'}` : g.membership === 'member' ? '' : ` — ${g.membership}`
  return `${g.id} "${g.name}"${where}: ${people || `admins ${admins.join(', ')}`}`
}

type GroupCommand =
  | { op: 'create'; name: string; members: string[] }
  | { op: 'accept' | 'decline' | 'leave'; group: string }
  | { op: 'invite' | 'remove'; group: string; user: string }
  | { op: 'rename'; group: string; name: string }
  | { op: 'admins'; group: string; add: string }
  | { op: 'send'; group: string; text: string }

const HINT = 'group takes one of: create NAME [--members a,b] | accept|decline|leave GROUP-ID | invite|remove GROUP-ID USER | rename GROUP-ID NAME | admins GROUP-ID --add USER | send GROUP-ID "TEXT".'

function parseGroup(args: string[], values: Record<string, string | boolean | undefined>): GroupCommand {
  const [op, ...rest] = args
  const need = (n: number): string[] => {
    if (rest.length !== n) throw new UsageError(HINT)
    return rest
  }
  if (op !== 'create' && values.members !== undefined) throw new UsageError('--members goes with group create.')
  if (op !== 'admins' && values.add !== undefined) throw new UsageError('--add goes with group admins.')
  const id = (v: string | undefined) => field(GroupIdSchema, v, 'GROUP-ID')
  switch (op) {
    case 'create':
      return {
        op,
        name: field(GroupNameSchema, need(1)[0], 'NAME'),
        members: values.members === undefined ? [] : field(MemberList, values.members, '--members'),
      }
    case 'accept':
    case 'decline':
    case 'leave':
      return { op, group: id(need(1)[0]) }
    case 'invite':
    case 'remove': {
      const [g, u] = need(2)
      return { op, group: id(g), user: field(NameSchema, u, 'USER') }
    }
    case 'rename': {
      const [g, n] = need(2)
      return { op, group: id(g), name: field(GroupNameSchema, n, 'NAME') }
    }
    case 'admins':
      return { op, group: id(need(1)[0]), add: field(NameSchema, values.add, '--add') }
    case 'send': {
      const [g, t] = need(2)
      return { op, group: id(g), text: field(MessageTextSchema, t, 'TEXT') }
    }
    default:
      throw new UsageError(HINT)
  }
}

/** Waits (within --timeout, 5 s unless given) until my copy of `group` satisfies `ok`. */
async function untilGroup(ctx: CommandContext, group: string, ok: (g: GroupSummary | undefined) => boolean): Promise<GroupSummary | undefined> {
  const find = async () => (await ctx.core.services.groups.list()).find((g) => g.id === group)
  const started = Date.now()
  const limit = (ctx.opts.timeoutSeconds ?? 5) * 1000
  for (;;) {
    const g = await find()
    if (ok(g) || Date.now() - started > limit) return g
    await new Promise((r) => setTimeout(r, 100))
  }
}

async function runGroup(ctx: CommandContext, c: GroupCommand): Promise<number> {
  const { core, io } = ctx
  const groups = core.services.groups
  const failed = await catchUp(ctx)
  if (failed !== null) return failed
  switch (c.op) {
    case 'create': {
      const g = await groups.create({ name: c.name, members: c.members })
      await settle(ctx) // the metadata and the invites reach the broker
      for (const u of c.members) io.err(`Invited ${u}.`)
      io.err(`Created "${g.name}".`)
      io.out(g.id)
      return EXIT.ok
    }
    case 'accept': {
      // The invite may still be on its way (and is confirmed by the group's metadata first).
      const invite = await untilGroup(ctx, c.group, (g) => g?.membership === 'invited' || g?.membership === 'member')
      if (invite?.membership !== 'invited' && invite?.membership !== 'member') {
        io.err(`parley: There is no invite to ${c.group}.`)
        return EXIT.failed
      }
      const g = await groups.accept(c.group)
      await settle(ctx)
      io.err(`You joined "${g.name}".`)
      return EXIT.ok
    }
    case 'decline':
      await untilGroup(ctx, c.group, (g) => g !== undefined)
      await groups.decline(c.group)
      await settle(ctx)
      io.err(`Declined the invite to ${c.group}.`)
      return EXIT.ok
    case 'leave': {
      const g = await groups.leave(c.group)
      await settle(ctx)
      io.err(`You left "${g.name}".`)
      return EXIT.ok
    }
    case 'invite':
      await groups.invite(c.group, c.user)
      await settle(ctx)
      io.err(`Invited ${c.user}.`)
      return EXIT.ok
    case 'remove':
      await groups.remove(c.group, c.user)
      await settle(ctx)
      io.err(`Removed ${c.user}.`)
      return EXIT.ok
    case 'rename': {
      const g = await groups.rename(c.group, c.name)
      await settle(ctx)
      io.err(`Renamed to "${g.name}".`)
      return EXIT.ok
    }
    case 'admins':
      await groups.addAdmin(c.group, c.add)
      await settle(ctx)
      io.err(`${c.add} is an admin now.`)
      return EXIT.ok
    case 'send': {
      const g = await groups.get(c.group)
      const r = await sendAndWait(
        ctx,
        'message',
        (m) => (m.direction === 'out' ? m : null),
        () => core.services.messages.send({ conversationId: g.conversationId, text: c.text }),
      )
      if (r === 'timeout') return reportQueued(ctx, 'Not delivered to the broker yet', 'The message')
      if (r.status === 'failed') {
        io.err(`parley: Not sent to "${g.name}": ${r.error ?? 'the broker refused it.'}`)
        return EXIT.failed
      }
      io.err(`Sent to "${g.name}" (${r.id}).`)
      return EXIT.ok
    }
  }
}

async function listGroups(ctx: CommandContext): Promise<number> {
  const code = await withinTimeout(ctx, catchUp(ctx))
  const list = await ctx.core.services.groups.list()
  for (const g of list) ctx.io.out(groupLine(g, ctx.opts.json))
  if (list.length === 0 && !ctx.opts.json) ctx.io.err('No groups yet.')
  return code === 'timeout' ? EXIT.timeout : (code ?? EXIT.ok)
}

export const GROUP_COMMANDS: readonly CliCommand[] = [
  defineCommand({
    name: 'group',
    usage: `group     create NAME [--members a,b] --user NAME      create a group (you are its admin), invite the members;
                                                       prints the group id as its last line
group     accept|decline GROUP-ID --user NAME          answer an invite
group     invite|remove GROUP-ID USER --user NAME      (admins) invite someone, remove a member or an invite
group     leave GROUP-ID --user NAME                   leave a group
group     rename GROUP-ID NAME --user NAME             (admins) rename the group
group     admins GROUP-ID --add USER --user NAME       (admins) make a member an admin
group     send GROUP-ID "TEXT" --user NAME             send to the group (waits until the broker has it)`,
    options: { members: { type: 'string' }, add: { type: 'string' } },
    parse: ({ args, values }) => parseGroup(args, values),
    run: runGroup,
  }),
  defineCommand({
    name: 'groups',
    usage: `groups    --user NAME [--broker URL] [--json]          your groups and invites (after a moment online); --json: one
                                                       {"id","name","membership","admin","members",…} per line`,
    parse: ({ args }) => noArgs('groups', args),
    run: listGroups,
  }),
]
