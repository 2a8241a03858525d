import { resolve } from 'node:path'
import { z } from 'zod'
import { ExportFormatSchema, type HistoryJob } from '../../shared/contract'
import { ConversationIdSchema, dmConversationId } from '../../shared/protocol/conversation-id'
import { NameSchema } from '../../shared/protocol/names'
import { defineCommand, field, positionals, UsageError, type CliCommand } from '../command'
import { EXIT, requireOwner, type CommandContext } from '../common'

/** `--with bob` (a 1:1 chat) or a conversation id (`group:team`, `room:news/#`). */
const Conversation = z.union([NameSchema.transform(dmConversationId), ConversationIdSchema])

/**
 * Starts a history job and waits for its last event; a signal cancels it (an
 * export's partial file is removed). The job's events are listened to before it
 * starts, so even a job that ends at once is seen ending.
 */
async function runJob({ core, io }: CommandContext, start: () => Promise<HistoryJob>): Promise<HistoryJob> {
  let id: string | null = null
  const early: HistoryJob[] = []
  let settle: (job: HistoryJob) => void = () => {}
  const over = new Promise<HistoryJob>((r) => (settle = r))
  const off = core.onEvent((name, payload) => {
    if (name !== 'historyJob') return
    const job = payload as HistoryJob
    if (job.state === 'running') return
    if (id === null) early.push(job)
    else if (job.id === id) settle(job)
  })
  try {
    const started = await start()
    id = started.id
    const ended = early.find((j) => j.id === id)
    if (ended) settle(ended)
    void io.interrupted.then(() => core.services.history.cancel(started.id))
    return await over
  } finally {
    off()
  }
}

async function exportCommand(ctx: CommandContext, c: { conversationId: string | null; format: z.infer<typeof ExportFormatSchema>; out: string | null }): Promise<number> {
  const { core, io, opts } = ctx
  requireOwner(core, opts.user)
  const job = await runJob(ctx, () => core.services.history.exportHistory({ conversationId: c.conversationId, format: c.format, path: c.out }))
  if (job.state !== 'done') {
    io.err(`parley: ${job.state === 'cancelled' ? 'The export was cancelled; nothing was written.' : (job.error ?? 'The export failed.')}`)
    return EXIT.failed
  }
  io.out(opts.json ? JSON.stringify({ path: job.path, messages: job.done }) : job.path!)
  io.err(`Exported ${job.done} message${job.done === 1 ? '' : 's'}.`)
  return EXIT.ok
}

async function importCommand(ctx: CommandContext, c: { file: string }): Promise<number> {
  const { core, io, opts } = ctx
  requireOwner(core, opts.user)
  const job = await runJob(ctx, () => core.services.history.importHistory({ path: c.file }))
  if (opts.json) io.out(JSON.stringify({ state: job.state, added: job.added, skipped: job.skipped, invalid: job.invalid }))
  else io.out(`Imported ${job.added} message${job.added === 1 ? '' : 's'}, ${job.skipped} already here${job.invalid ? `, ${job.invalid} not valid (left out)` : ''}.`)
  if (job.state === 'done') return EXIT.ok
  io.err(`parley: ${job.state === 'cancelled' ? 'The import was cancelled; what was imported so far stays.' : (job.error ?? 'The import failed.')}`)
  return EXIT.failed
}

export const HISTORY_COMMANDS: readonly CliCommand[] = [
  defineCommand({
    name: 'export',
    usage: `export    --user NAME (--with NAME|CONVERSATION | --all) [--format json|html|markdown] [--out FILE]
                                                       write a conversation (or all of them) from the stored history,
                                                       oldest first, no broker needed: Parley's JSON (default, what
                                                       import reads), a readable HTML page or Markdown; prints the
                                                       file's path (default: a new file in DATA-DIR/exports)`,
    options: { with: { type: 'string' }, all: { type: 'boolean' }, format: { type: 'string' }, out: { type: 'string' } },
    parse: ({ args, values }) => {
      positionals(args, 0, 'export takes no arguments: parley export --user YOU --with NAME (or --all).')
      if ((values.with === undefined) === (values.all !== true)) throw new UsageError('export needs either --with NAME (or a conversation id) or --all.')
      return {
        conversationId: values.all === true ? null : field(Conversation, values.with, '--with'),
        format: values.format === undefined ? ('json' as const) : field(ExportFormatSchema, values.format, '--format'),
        out: values.out === undefined ? null : resolve(field(z.string().min(1).max(4096), values.out, '--out')),
      }
    },
    run: exportCommand,
  }),
  defineCommand({
    name: 'import',
    usage: `import    --user NAME FILE                             add the messages of a Parley JSON export to the stored history
                                                       (no broker needed); those already here are skipped, so
                                                       importing twice adds nothing; prints how many were added`,
    parse: ({ args }) => ({
      file: resolve(field(z.string().min(1).max(4096), positionals(args, 1, 'import takes exactly one file: parley import FILE --user YOU.')[0], 'FILE')),
    }),
    run: importCommand,
  }),
]
