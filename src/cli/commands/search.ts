import { SearchQuerySchema, type SearchHit, type SearchResults, type TextRange } from '../../shared/contract'
import { ConversationIdSchema, parseConversationId } from '../../shared/protocol/conversation-id'
import { Count, defineCommand, field, positionals, UsageError, type CliCommand } from '../command'
import { EXIT, requireOwner, type CommandContext } from '../common'

/** The engine's page size ceiling (SearchQuerySchema's limit): longer --limit runs page by `next`. */
const PAGE_MAX = 200
const LIMIT_DEFAULT = 20
const LIMIT_MAX = 10_000
/** How long a search waits for the index to take in a backlog, unless --timeout says otherwise. */
const CATCH_UP_SECONDS = 120
/** A backlog worth a line on stderr (smaller ones take a blink). */
const CATCH_UP_TELL = 5_000

/** How a highlighted range is marked: ANSI bold + underline on a terminal, [brackets] in a pipe or file. */
export interface Marks {
  open: string
  close: string
}
export const TERMINAL_MARKS: Marks = { open: '\x1b[1;4m', close: '\x1b[22;24m' }
export const PLAIN_MARKS: Marks = { open: '[', close: ']' }

/**
 * Text from other people must not drive the terminal (an ESC in a message could
 * recolour, move the cursor or retitle the window) nor break the one-line-per-hit
 * layout: every control character (C0, DEL, C1) becomes a space. Each is one UTF-16
 * unit replaced by one, so the highlight ranges still point at the same places.
 */
export function inert(text: string): string {
  // Bidi controls too: a title or sender could otherwise reorder the rest of the line as it shows.
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, ' ')
}

/** `text` with the `ranges` (sorted, not overlapping, as the engine gives them) wrapped in `marks`. */
export function markRanges(text: string, ranges: readonly TextRange[], marks: Marks): string {
  let out = ''
  let at = 0
  for (const [start, end] of ranges) {
    const s = Math.max(at, Math.min(start, text.length))
    const e = Math.max(s, Math.min(end, text.length))
    if (e === s) continue
    out += text.slice(at, s) + marks.open + text.slice(s, e) + marks.close
    at = e
  }
  return out + text.slice(at)
}

/** One hit for a person: `TIME  CONVERSATION  SENDER: snippet`, highlights marked. */
export function hitLine(h: SearchHit, marks: Marks): string {
  const m = h.message
  return `${new Date(m.ts).toISOString()}  ${inert(h.conversationTitle)}  ${inert(m.sender)}: ${markRanges(inert(h.snippet.text), h.snippet.highlights, marks)}`
}

/** One hit for a script: a JSON object per line (strings as stored; JSON escapes what needs it). */
export function hitJson(h: SearchHit): string {
  const m = h.message
  return JSON.stringify({
    id: m.id,
    conversationId: m.conversationId,
    conversationTitle: h.conversationTitle,
    sender: m.sender,
    ts: new Date(m.ts).toISOString(),
    text: m.text,
    snippet: h.snippet.text,
    highlights: h.snippet.highlights,
  })
}

/** A conversation id (`dm:bob`, `group:grp_…`, `room:a/b`, `system:eu`) as opposed to a name. */
function isConversationId(value: string): boolean {
  return ConversationIdSchema.safeParse(value).success && parseConversationId(value) !== null
}

/**
 * `in:NAME` for the engine's parser, quoted when the name holds spaces or quotes;
 * it goes before the query, which the parser reads only so far (SEARCH_TERMS_MAX).
 */
export function inFilter(name: string): string {
  return /[\s"]/u.test(name) ? `in:"${name.replace(/"/g, '')}"` : `in:${name}`
}

interface SearchInput {
  text: string
  conversationId: string | null
  limit: number
}

/**
 * Waits until the index holds every stored message (or --timeout, or a signal). The
 * engine indexes a backlog in the background, newest first; a command lives for a
 * moment only, so without waiting, history queued by an upgrade or an import would
 * stay unsearchable from the CLI until the app had run long enough.
 */
async function indexCaughtUp({ core, io, opts }: CommandContext): Promise<void> {
  let { pending } = await core.services.search.status()
  if (pending === 0) return
  if (pending >= CATCH_UP_TELL) io.err(`Indexing ${pending} messages for search (once, after an upgrade or import)…`)
  const until = Date.now() + (opts.timeoutSeconds ?? CATCH_UP_SECONDS) * 1000
  let stopped = false
  void io.interrupted.then(() => (stopped = true))
  while (pending > 0 && !stopped && Date.now() < until) {
    await new Promise((r) => setTimeout(r, 100))
    pending = (await core.services.search.status()).pending
  }
}

/** Reads the history only: no account set-up, no broker (search works offline). */
async function search(ctx: CommandContext, c: SearchInput): Promise<number> {
  const { core, io, opts } = ctx
  requireOwner(core, opts.user)
  await indexCaughtUp(ctx)
  const marks = io.styled ? TERMINAL_MARKS : PLAIN_MARKS
  let cursor: string | null = null
  let shown = 0
  let first: SearchResults | null = null
  do {
    const page: SearchResults = await core.services.search.search({
      text: c.text,
      conversationId: c.conversationId,
      cursor,
      limit: Math.min(PAGE_MAX, c.limit - shown),
    })
    first ??= page
    for (const h of page.hits.slice(0, c.limit - shown)) io.out(opts.json ? hitJson(h) : hitLine(h, marks))
    shown += Math.min(page.hits.length, c.limit - shown)
    cursor = page.next
  } while (cursor !== null && shown < c.limit)
  for (const note of first.parsed.notes) io.err(note)
  if (first.pending > 0) io.err(`${first.pending} stored messages are not indexed yet: matches among them may be missing.`)
  if (shown === 0) io.err('No messages match.')
  else if (cursor !== null && !opts.json) io.err(`Showing the newest ${shown}; there are more (--limit N shows more).`)
  return EXIT.ok
}

export const SEARCH_COMMANDS: readonly CliCommand[] = [
  defineCommand({
    name: 'search',
    usage: `search    --user NAME "query" [--in CONVERSATION] [--limit N] [--json]
                                                       search the stored history, no broker needed: newest first,
                                                       one line per match "TIME  CONVERSATION  SENDER: snippet",
                                                       matched words in bold on a terminal, [in brackets] otherwise;
                                                       filters in the query: from:NAME in:NAME before:YYYY-MM-DD
                                                       after:YYYY-MM-DD has:link; --in takes a conversation id
                                                       (dm:bob, group:grp_…) or a name; --limit default 20; no
                                                       match: "No messages match." on stderr, exit 0; --json lines:
                                                       id, conversationId, conversationTitle, sender, ts, text,
                                                       snippet, highlights ([start, end) in snippet); history not
                                                       indexed yet (after an upgrade or import) is indexed first,
                                                       for up to --timeout S (default 120)`,
    options: { in: { type: 'string' }, limit: { type: 'string' } },
    parse: ({ args, values }) => {
      const query = positionals(args, 1, 'search takes exactly one query (quote it): parley search "words from:bob" --user YOU.')[0]!
      const scope = values.in
      if (scope !== undefined && (typeof scope !== 'string' || scope.trim() === '')) throw new UsageError('--in takes a conversation id or name.')
      const byId = typeof scope === 'string' && isConversationId(scope)
      const text = field(SearchQuerySchema.shape.text, scope === undefined || byId ? query : `${inFilter(String(scope))} ${query}`, 'query')
      return {
        text,
        conversationId: byId ? String(scope) : null,
        limit: values.limit === undefined ? LIMIT_DEFAULT : field(Count.max(LIMIT_MAX), values.limit, '--limit'),
      }
    },
    run: search,
  }),
]
