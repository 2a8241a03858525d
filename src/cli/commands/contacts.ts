import type { Contact, ContactsChange, ConversationSummary } from '../../shared/contract'
import { RequestNoteSchema } from '../../shared/protocol/names'
import { defineCommand, field, noArgs, oneName, type CliCommand } from '../command'
import { ensureAccount, EXIT, online, reportQueued, untilQuiet, withinTimeout, type CommandContext } from '../common'

/** After connecting, how long to let queued requests and answers arrive: at least this… */
const SETTLE_MIN_MS = 600
/** …until nothing new came for this long… */
const SETTLE_QUIET_MS = 400
/** …but never longer than this. */
const SETTLE_MAX_MS = 3_000

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString())

/**
 * Lets what the broker queued for us while we were away arrive (requests,
 * answers, messages): a short wait that ends once the news stops.
 */
function settle({ core, io }: CommandContext): Promise<void> {
  const news = (event: string) => event === 'contacts' || event === 'conversation'
  return untilQuiet(core, news, { minMs: SETTLE_MIN_MS, quietMs: SETTLE_QUIET_MS, maxMs: SETTLE_MAX_MS }, io.interrupted)
}

/** Connects (so what waits at the broker arrives) and settles; the exit code when the broker could not be reached, else null. */
async function catchUp(ctx: CommandContext): Promise<number | null> {
  const failed = await online(ctx, 5)
  if (failed === null) await settle(ctx)
  return failed
}

/** Resolves with `user`'s entry once what I sent about them is no longer queued (or null when they left the list). */
function deliveryOf(ctx: CommandContext, user: string): { settled: Promise<Contact | null>; known(c: Contact | null): void; off(): void } {
  let resolve: (c: Contact | null) => void = () => {}
  const settled = new Promise<Contact | null>((r) => (resolve = r))
  const known = (c: Contact | null): void => {
    if (c === null || c.delivery !== 'queued') resolve(c)
  }
  const off = ctx.core.onEvent((event, payload) => {
    if (event !== 'contacts') return
    const change = payload as ContactsChange
    if (change.removed.includes(user)) resolve(null)
    const c = change.changed.find((x) => x.user === user)
    if (c) known(c)
  })
  return { settled, known, off }
}

/** Waits until the broker has what I sent about `c.user`: 0, 1 (refused) or 3 (not in time; it stays queued). */
async function untilSent(ctx: CommandContext, d: ReturnType<typeof deliveryOf>, c: Contact, done: string): Promise<number> {
  const { io } = ctx
  d.known(c)
  const r = await withinTimeout(ctx, d.settled)
  if (r === 'timeout') return reportQueued(ctx, 'Not delivered to the broker yet', 'It')
  if (r?.delivery === 'failed') {
    io.err(`parley: Not sent to ${c.user}: the broker refused it.`)
    return EXIT.failed
  }
  io.err(done)
  return EXIT.ok
}

async function request(ctx: CommandContext, c: { user: string; note: string | null }): Promise<number> {
  await ensureAccount(ctx)
  const d = deliveryOf(ctx, c.user)
  try {
    const before = (await ctx.core.services.contacts.list()).find((x) => x.user === c.user)
    const made = await ctx.core.services.contacts.request({ user: c.user, ...(c.note ? { note: c.note } : {}) })
    if (made.state === 'contact' && before?.state === 'contact') {
      ctx.io.err(`${c.user} is already one of your contacts.`)
      return EXIT.ok
    }
    const done = made.state === 'contact' ? `${c.user} had asked you too: you are contacts now.` : `Friend request sent to ${c.user}.`
    return await untilSent(ctx, d, made, done)
  } finally {
    d.off()
  }
}

/** Connects and waits a moment for `user`'s request, in case the broker still holds it for us. */
async function withTheirRequest(ctx: CommandContext, user: string): Promise<number | null> {
  const failed = await online(ctx)
  if (failed !== null) return failed
  const has = async () => (await ctx.core.services.contacts.list()).some((x) => x.user === user && x.state === 'incoming')
  if (!(await has())) await settle(ctx)
  return null
}

async function accept(ctx: CommandContext, c: { user: string }): Promise<number> {
  const failed = await withTheirRequest(ctx, c.user)
  if (failed !== null) return failed
  const d = deliveryOf(ctx, c.user)
  try {
    const made = await ctx.core.services.contacts.accept(c.user)
    return await untilSent(ctx, d, made, `You and ${c.user} are contacts now.`)
  } finally {
    d.off()
  }
}

async function decline(ctx: CommandContext, c: { user: string }): Promise<number> {
  const failed = await withTheirRequest(ctx, c.user)
  if (failed !== null) return failed
  await ctx.core.services.contacts.decline(c.user)
  ctx.io.err(`Declined ${c.user}'s friend request (they are told).`)
  return EXIT.ok
}

/** Withdraws at once (a local decision); the notice goes out now if the broker can be reached, else next time. */
async function cancel(ctx: CommandContext, c: { user: string }): Promise<number> {
  await ensureAccount(ctx)
  await ctx.core.services.contacts.cancel(c.user)
  const failed = await online(ctx)
  if (failed !== null) {
    ctx.io.err(`Withdrew your friend request to ${c.user} here; ${c.user} is told the next time Parley runs for ${ctx.opts.user}.`)
    return failed
  }
  ctx.io.err(`Withdrew your friend request to ${c.user}.`)
  return EXIT.ok
}

function contactLine(x: Contact, json: boolean): string {
  return json ? JSON.stringify({ user: x.user, state: x.state, since: iso(x.since) }) : `${x.user} (contact since ${iso(x.since)})`
}

async function contacts(ctx: CommandContext): Promise<number> {
  const code = await catchUp(ctx)
  const list = (await ctx.core.services.contacts.list()).filter((x) => x.state === 'contact')
  for (const x of list) ctx.io.out(contactLine(x, ctx.opts.json))
  if (list.length === 0 && !ctx.opts.json) ctx.io.err('No contacts yet.')
  return code ?? EXIT.ok
}

const DELIVERY_TEXT: Record<NonNullable<Contact['delivery']>, string> = { queued: 'not sent yet', sent: 'sent', failed: 'not sent: the broker refused it' }

function requestLine(x: Contact, json: boolean): string {
  const kind = x.state === 'incoming' ? 'incoming' : 'outgoing'
  if (json) {
    return JSON.stringify({ kind, user: x.user, note: x.note, since: iso(x.since), expires: iso(x.expiresAt), ...(x.delivery ? { delivery: x.delivery } : {}) })
  }
  const note = x.note === null ? '' : ` "${x.note}"`
  const status = x.delivery && x.delivery !== 'sent' ? `${DELIVERY_TEXT[x.delivery]}, ` : ''
  return `${kind === 'incoming' ? `from ${x.user}` : `to ${x.user}`}${note} (${status}lapses ${iso(x.expiresAt)})`
}

function messageRequestLine(c: ConversationSummary, json: boolean): string {
  const text = c.lastMessage?.text ?? null
  if (json) return JSON.stringify({ kind: 'message', user: c.peer, conversation: c.id, unread: c.unread, since: iso(c.updatedAt), text })
  return `message from ${c.peer}${text === null ? '' : `: "${text}"`} (${c.unread} unread)`
}

async function requests(ctx: CommandContext): Promise<number> {
  const code = await catchUp(ctx)
  const { json } = ctx.opts
  const pending = (await ctx.core.services.contacts.list()).filter((x) => x.state !== 'contact')
  const messages = await ctx.core.services.messageRequests.list()
  for (const x of pending) ctx.io.out(requestLine(x, json))
  for (const c of messages) ctx.io.out(messageRequestLine(c, json))
  if (pending.length + messages.length === 0 && !json) ctx.io.err('No requests.')
  return code ?? EXIT.ok
}

export const CONTACT_COMMANDS: readonly CliCommand[] = [
  defineCommand({
    name: 'contacts',
    usage: `contacts  --user NAME [--broker URL] [--json]          list your contacts (after a moment online, so answers waiting
                                                       at the broker arrive); --json: {"user","state","since"} per line`,
    parse: ({ args }) => noArgs('contacts', args),
    run: contacts,
  }),
  defineCommand({
    name: 'request',
    usage: `request   NAME --user NAME [--note TEXT] [--broker URL] ask NAME to be your contact (waits until the broker has it;
                                                       exit 3: queued, it goes out next time); lapses after 30 days`,
    options: { note: { type: 'string' } },
    parse: ({ args, values }) => ({
      user: oneName('request', args),
      note: values.note === undefined ? null : field(RequestNoteSchema, values.note, '--note'),
    }),
    run: request,
  }),
  defineCommand({
    name: 'accept',
    usage: `accept    NAME --user NAME [--broker URL]              accept NAME's friend request (exit 1 if there is none)`,
    parse: ({ args }) => ({ user: oneName('accept', args) }),
    run: accept,
  }),
  defineCommand({
    name: 'decline',
    usage: `decline   NAME --user NAME [--broker URL]              decline NAME's friend request (they are told)`,
    parse: ({ args }) => ({ user: oneName('decline', args) }),
    run: decline,
  }),
  defineCommand({
    name: 'cancel',
    usage: `cancel    NAME --user NAME [--broker URL]              withdraw your friend request to NAME`,
    parse: ({ args }) => ({ user: oneName('cancel', args) }),
    run: cancel,
  }),
  defineCommand({
    name: 'requests',
    usage: `requests  --user NAME [--broker URL] [--json]          friend requests from and to you, and message requests
                                                       (strangers who wrote first); --json: one object per line
                                                       with "kind": incoming, outgoing or message`,
    parse: ({ args }) => noArgs('requests', args),
    run: requests,
  }),
]
