import type { ChatMessage, ConnectionStatus } from '../shared/contract'
import { ParleyError } from '../shared/rpc'
import { dmConversationId } from '../shared/protocol/conversation-id'
import { ParleyCore, publicBroker } from '../main/core/engine'
import { createConsoleLogger, silentLogger } from '../main/core/kernel/log'
import { resolveDataDir } from '../main/core/kernel/paths'
import { parseCli, UsageError, USAGE, type CliOptions } from './args'

export const EXIT = { ok: 0, failed: 1, usage: 2, timeout: 3, dataDir: 4 } as const

export interface CliIo {
  out(line: string): void
  err(line: string): void
  env: NodeJS.ProcessEnv
  /** Resolves when the process is asked to stop (SIGINT/SIGTERM). */
  interrupted: Promise<void>
}

/** The message as a script sees it: one JSON object per line. */
function messageLine(m: ChatMessage): string {
  return JSON.stringify({ id: m.id, from: m.sender, conversation: m.conversationId, ts: m.ts, time: new Date(m.ts).toISOString(), text: m.text })
}

function waitFor<T>(core: ParleyCore, pick: (event: string, payload: unknown) => T | undefined): Promise<T> {
  return new Promise((resolve) => {
    const off = core.onEvent((event, payload) => {
      const v = pick(event, payload)
      if (v !== undefined) {
        off()
        resolve(v)
      }
    })
  })
}

function delay(seconds: number | null): Promise<'timeout'> {
  return seconds === null ? new Promise(() => {}) : new Promise((r) => setTimeout(() => r('timeout'), seconds * 1000).unref())
}

function requireOwner(core: ParleyCore, user: string): void {
  const owner = core.user
  if (owner && owner !== user) {
    throw new ParleyError(`This data directory belongs to ${owner}, not ${user}. Use --data-dir for ${user}.`, 'invalid-argument')
  }
}

/** Makes the data directory's account match --user/--broker (first use sets it up). */
async function ensureAccount(core: ParleyCore, opts: CliOptions): Promise<void> {
  const state = await core.services.account.getState()
  const user = opts.command.user
  // With --broker, set-up itself refuses to switch a history to another user.
  if (!opts.broker) requireOwner(core, user)
  if (opts.broker) {
    const same = state.configured && state.user === user && JSON.stringify(state.broker) === JSON.stringify(publicBroker(opts.broker))
    if (!same) await core.services.account.setup({ user, broker: opts.broker })
  } else if (!state.configured) {
    throw new ParleyError(`No broker is set for ${user} yet: pass --broker URL (or --broker embedded).`, 'not-configured')
  }
}

async function execute(core: ParleyCore, opts: CliOptions, io: CliIo): Promise<number> {
  const c = opts.command
  if (c.cmd === 'history') {
    requireOwner(core, c.user)
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
    for (const m of messages) {
      io.out(c.json ? messageLine(m) : `${new Date(m.ts).toISOString()} ${m.sender}${m.status === 'pending' ? ' (not sent yet)' : ''}: ${m.text}`)
    }
    if (messages.length === 0 && !c.json) io.err(`No messages with ${c.with} in this history.`)
    return EXIT.ok
  }

  await ensureAccount(core, opts)

  if (c.cmd === 'send') {
    const conversation = await core.services.conversations.open(c.to)
    // Whatever the order of the answer and the events, "the broker has it" is any status past pending.
    const acknowledged = new Set<string>()
    let msgId = ''
    const sent = waitFor(core, (event, p) => {
      if (event !== 'message' || (p as ChatMessage).status === 'pending') return undefined
      acknowledged.add((p as ChatMessage).id)
      return acknowledged.has(msgId) ? true : undefined
    })
    const msg = await core.services.messages.send({ conversationId: conversation.id, text: c.text })
    msgId = msg.id
    if (msg.status === 'failed') {
      io.err(`Not sent: ${msg.error ?? 'the broker refused it'}`)
      return EXIT.failed
    }
    const r = await Promise.race([sent, delay(opts.timeoutSeconds ?? 15), io.interrupted.then(() => 'timeout' as const)])
    if (r === 'timeout') {
      io.err(`Not delivered to the broker yet (${core.connection.detail ?? core.connection.state}). The message is queued and goes out the next time Parley runs for ${c.user}.`)
      return EXIT.timeout
    }
    io.err(`Sent to ${c.to} (${msgId}).`)
    return EXIT.ok
  }

  // listen
  let received = 0
  let done: () => void = () => {}
  const finished = new Promise<void>((r) => (done = r))
  core.onEvent((event, payload) => {
    if (event === 'connection') {
      const s = payload as ConnectionStatus
      if (opts.verbose || s.state === 'error') io.err(`connection: ${s.state}${s.detail ? ` (${s.detail})` : ''}`)
    }
    if (event !== 'message') return
    const m = payload as ChatMessage
    if (m.direction !== 'in') return
    io.out(messageLine(m))
    received++
    if (c.count !== null && received >= c.count) done()
  })
  const r = await Promise.race([finished.then(() => 'done' as const), delay(opts.timeoutSeconds), io.interrupted.then(() => 'stop' as const)])
  return r === 'timeout' && c.count !== null ? EXIT.timeout : EXIT.ok
}

/** Runs one CLI invocation and returns its exit code; never throws. */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  let opts: CliOptions
  try {
    opts = parseCli(argv, io.env)
  } catch (err) {
    if (err instanceof UsageError) {
      if (err.message) io.err(`parley: ${err.message}`)
      io.err(USAGE)
      return EXIT.usage
    }
    throw err
  }
  const log = opts.verbose ? createConsoleLogger('info') : io.env.PARLEY_LOG_LEVEL ? createConsoleLogger() : silentLogger
  let core: ParleyCore
  try {
    core = await ParleyCore.open({ dataDir: resolveDataDir({ flag: opts.dataDir, env: io.env }), log })
  } catch (err) {
    io.err(`parley: ${(err as Error).message}`)
    return EXIT.dataDir
  }
  try {
    return await execute(core, opts, io)
  } catch (err) {
    io.err(`parley: ${(err as Error).message}`)
    return err instanceof ParleyError && (err.code === 'invalid-argument' || err.code === 'not-configured') ? EXIT.usage : EXIT.failed
  } finally {
    await core.close()
  }
}
