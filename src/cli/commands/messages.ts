import { z } from 'zod'
import { MAX_LIST_RECIPIENTS, type ChatMessage, type ConnectionStatus } from '../../shared/contract'
import { dmConversationId } from '../../shared/protocol/conversation-id'
import { NameSchema } from '../../shared/protocol/names'
import { MessageTextSchema } from '../../shared/schemas'
import { Count, defineCommand, field, positionals, type CliCommand } from '../command'
import { delay, ensureAccount, EXIT, reportQueued, requireOwner, sendAndWait, withinTimeout, type CommandContext } from '../common'

/** `--to a,b,c`: one or more names, each valid; a name given twice counts once. */
const RecipientList = z
  .string()
  .transform((s) => [...new Set(s.split(','))])
  .pipe(z.array(NameSchema).min(1).max(MAX_LIST_RECIPIENTS, { error: `at most ${MAX_LIST_RECIPIENTS} recipients.` }))

/** A received message as a script sees it: one JSON object per line. */
function messageLine(m: ChatMessage): string {
  return JSON.stringify({ id: m.id, from: m.sender, conversation: m.conversationId, ts: m.ts, time: new Date(m.ts).toISOString(), text: m.text })
}

/** A stored message: the same, plus what became of it ("error" only when it failed). */
function historyLine(m: ChatMessage): string {
  const line = JSON.parse(messageLine(m)) as Record<string, unknown>
  return JSON.stringify({ ...line, status: m.status, ...(m.status === 'failed' ? { error: m.error ?? 'not sent' } : {}) })
}

/** How a person reads the fate of a message they sent; nothing for sent or incoming ones. */
function statusMark(m: ChatMessage): string {
  switch (m.status) {
    case 'pending':
      return ' (not sent yet)'
    case 'failed':
      return ` (not sent: ${(m.error ?? 'the broker refused it').replace(/\.$/, '')})`
    case 'delivered':
      return ' (delivered)'
    case 'read':
      return ' (read)'
    default:
      return ''
  }
}

async function history({ core, io, opts }: CommandContext, c: { with: string; limit: number }): Promise<number> {
  requireOwner(core, opts.user)
  const conversationId = dmConversationId(c.with)
  const page = await core.services.messages.page({ conversationId, limit: Math.min(c.limit, 500) })
  let messages = page.messages
  let hasMore = page.hasMore
  while (hasMore && messages.length < c.limit) {
    const oldest = messages[0]!
    const older = await core.services.messages.page({ conversationId, before: { ts: oldest.ts, id: oldest.id }, limit: Math.min(c.limit - messages.length, 500) })
    messages = [...older.messages, ...messages]
    hasMore = older.hasMore
  }
  for (const m of messages) io.out(opts.json ? historyLine(m) : `${new Date(m.ts).toISOString()} ${m.sender}${statusMark(m)}: ${m.text}`)
  if (messages.length === 0 && !opts.json) io.err(`No messages with ${c.with} in this history.`)
  return EXIT.ok
}

/** Sends one message and waits until the broker has it (exit 0) or refused it (exit 1); to a list: sendToList. */
async function send(ctx: CommandContext, c: { to: string[]; text: string }): Promise<number> {
  const { core, io } = ctx
  await ensureAccount(ctx)
  if (c.to.length > 1) return sendToList(ctx, c.to, c.text)
  const to = c.to[0]!
  const conversation = await core.services.conversations.open(to)
  const r = await sendAndWait(
    ctx,
    'message',
    (m) => (m.direction === 'out' ? m : null),
    () => core.services.messages.send({ conversationId: conversation.id, text: c.text }),
  )
  if (r === 'timeout') return reportQueued(ctx, 'Not delivered to the broker yet', 'The message')
  if (r.status === 'failed') {
    io.err(`parley: Not sent to ${to}: ${r.error ?? 'the broker refused it.'}`)
    return EXIT.failed
  }
  io.err(`Sent to ${to} (${r.id}).`)
  return EXIT.ok
}

/**
 * One text to several people, stored for all of them at once (each its own message
 * and outbox entry), then waits until the broker has every one: one line per
 * recipient; exit 0 all sent, 1 any refused, 3 any still queued at --timeout.
 */
async function sendToList(ctx: CommandContext, to: readonly string[], text: string): Promise<number> {
  const { core, io } = ctx
  const settled = new Map<string, ChatMessage>()
  let wanted = new Set<string>()
  let allSettled: () => void = () => {}
  const done = new Promise<void>((r) => (allSettled = r))
  const note = (m: ChatMessage): void => {
    if (m.direction !== 'out' || m.status === 'pending' || settled.has(m.id)) return
    settled.set(m.id, m)
    if (wanted.size > 0 && [...wanted].every((id) => settled.has(id))) allSettled()
  }
  const off = core.onEvent((name, payload) => {
    if (name === 'message') note(payload as ChatMessage)
  })
  try {
    const sent = await core.services.messages.sendToMany({ to: [...to], text })
    wanted = new Set(sent.map((m) => m.id))
    for (const m of sent) note(m)
    if ([...wanted].every((id) => settled.has(id))) allSettled()
    const r = await withinTimeout(ctx, done)
    let code: number = EXIT.ok
    for (const m of sent) {
      const peer = m.conversationId.slice('dm:'.length)
      const outcome = settled.get(m.id)
      if (!outcome) {
        io.err(`Queued for ${peer} (${m.id}): not at the broker yet.`)
        if (code === EXIT.ok) code = EXIT.timeout
      } else if (outcome.status === 'failed') {
        io.err(`parley: Not sent to ${peer}: ${outcome.error ?? 'the broker refused it.'}`)
        code = EXIT.failed
      } else io.err(`Sent to ${peer} (${m.id}).`)
    }
    if (r === 'timeout' && code === EXIT.timeout) return reportQueued(ctx, 'Not all delivered to the broker yet', 'What is missing')
    return code
  } finally {
    off()
  }
}

/** Prints incoming messages until --count, --timeout or a signal; meanwhile the core keeps us present and re-offers what waits for a receipt. */
async function listen(ctx: CommandContext, c: { count: number | null }): Promise<number> {
  const { core, opts, io } = ctx
  await ensureAccount(ctx)
  let received = 0
  let done: () => void = () => {}
  const finished = new Promise<void>((r) => (done = r))
  const off = core.onEvent((event, payload) => {
    if (event === 'connection') {
      const s = payload as ConnectionStatus
      if (opts.verbose || s.state === 'error') io.err(`connection: ${s.state}${s.detail ? ` (${s.detail})` : ''}`)
    }
    if (event !== 'message') return
    const m = payload as ChatMessage
    if (m.direction !== 'in') {
      // What became of messages sent earlier (re-offered while we listen): for people watching, not for scripts.
      if (opts.verbose) io.err(`message ${m.id} in ${m.conversationId}: ${m.status}${m.error ? ` (${m.error})` : ''}`)
      return
    }
    io.out(messageLine(m))
    received++
    if (c.count !== null && received >= c.count) done()
  })
  try {
    const r = await Promise.race([finished.then(() => 'done' as const), delay(opts.timeoutSeconds), io.interrupted.then(() => 'stop' as const)])
    return r === 'timeout' && c.count !== null ? EXIT.timeout : EXIT.ok
  } finally {
    off()
  }
}

export const MESSAGE_COMMANDS: readonly CliCommand[] = [
  defineCommand({
    name: 'send',
    usage: `send      --user NAME --to NAME[,NAME…] [--broker URL] "text"
                                                       send one message (waits until the broker has it); to a
                                                       list, each gets it in their own chat (one line each)`,
    options: { to: { type: 'string' } },
    parse: ({ args, values }) => ({
      to: field(RecipientList, values.to, '--to'),
      text: field(MessageTextSchema, positionals(args, 1, 'send takes exactly one message text (quote it).')[0], 'message'),
    }),
    run: send,
  }),
  defineCommand({
    name: 'listen',
    usage: `listen    --user NAME [--broker URL] [--count N] [--timeout S]
                                                       print each received message as one JSON line;
                                                       while it runs, NAME shows as online to others`,
    options: { count: { type: 'string' } },
    parse: ({ values }) => ({ count: values.count === undefined ? null : field(Count, values.count, '--count') }),
    run: listen,
  }),
  defineCommand({
    name: 'history',
    usage: `history   --user NAME --with NAME [--limit N] [--json] print the stored conversation, oldest first, with
                                                       what became of each message you sent: (not sent yet),
                                                       (not sent: reason), (delivered), (read); --json lines
                                                       carry "status" and, when it failed, "error"`,
    options: { with: { type: 'string' }, limit: { type: 'string' } },
    parse: ({ values }) => ({
      with: field(NameSchema, values.with, '--with'),
      limit: values.limit === undefined ? 50 : field(Count.max(100_000), values.limit, '--limit'),
    }),
    run: history,
  }),
]
