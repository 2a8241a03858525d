import { readFile, stat } from 'node:fs/promises'
import { z } from 'zod'
import { MAX_IMPORT_CHARS } from '../../../../shared/contract'
import { CONVERSATION_KINDS, ConversationIdSchema, parseConversationId } from '../../../../shared/protocol/conversation-id'
import { MessageIdSchema } from '../../../../shared/protocol/envelope'
import { ParleyError } from '../../../../shared/rpc'
import { MAX_TEXT_LENGTH } from '../../../../shared/schemas'
import type { HistoryMessage } from '../messages/api'
import { JSON_FORMAT, JSON_VERSION, type ExportConversation } from './formats'
import { parseExportText } from './parse-worker'

/** One conversation of an export, its rows as chunks of JSON text (parsed and checked a batch at a time as they are stored). */
export interface ImportConversation extends ExportConversation {
  chunks: string[]
  count: number
}

/** What an export file holds that can be imported, and how many of its rows could not. */
export interface ImportFile {
  account: string | null
  conversations: ImportConversation[]
  /** Rows in all (valid) conversations. */
  total: number
  /** Rows left out because their conversation is not one. */
  invalid: number
}

const HeaderSchema = z.object({
  format: z.literal(JSON_FORMAT),
  version: z.unknown(),
  account: z.string().max(256).nullish(),
  conversations: z.array(z.unknown()),
})

/** A conversation as parseExportText gives it: its messages split into chunks of JSON text. */
const ConversationSchema = z.object({
  id: ConversationIdSchema,
  kind: z.enum(CONVERSATION_KINDS),
  peer: z.string().min(1).max(300),
  title: z.string().max(300),
  chunks: z.array(z.string()),
  count: z.number().int().min(0),
})

const MessageSchema = z.object({
  // Every message id Parley stores is a UUID: another (a 100-character one) could not be a page cursor, jumped to or deleted.
  id: MessageIdSchema,
  sender: z.string().min(1).max(256),
  direction: z.enum(['in', 'out']),
  ts: z.number().int().min(0).max(8.64e15),
  // As long as a message can be anywhere else: a longer one cost the search index and every snippet of it
  // hundreds of milliseconds of the engine's thread (a hostile file could hold thousands).
  text: z.string().max(MAX_TEXT_LENGTH),
  status: z.enum(['pending', 'sent', 'delivered', 'read', 'failed', 'received', 'seen']),
})

const notAnExport = (what: string): ParleyError =>
  new ParleyError(`${what} is not a Parley history export (the JSON file that Export writes).`, 'invalid-argument')

/** Reads an export file from disk; a clear error when it cannot be read. */
export async function readExportFile(path: string): Promise<string> {
  let size: number
  try {
    size = (await stat(path)).size
  } catch {
    throw new ParleyError(`Cannot read ${path}: no such file.`, 'invalid-argument')
  }
  if (size > MAX_IMPORT_CHARS) throw new ParleyError(`${path} is over ${MAX_IMPORT_CHARS / (1024 * 1024)} MB, more than an import reads.`, 'invalid-argument')
  try {
    return await readFile(path, 'utf8')
  } catch (err) {
    throw new ParleyError(`Cannot read ${path}: ${(err as Error).message}`, 'invalid-argument')
  }
}

/** The rows of a chunk that are valid messages of conversation `conversationId`, and how many are not. */
export function validRows(conversationId: string, chunk: string): { messages: HistoryMessage[]; invalid: number } {
  const rows = JSON.parse(chunk) as unknown[]
  const messages: HistoryMessage[] = []
  let invalid = 0
  for (const row of rows) {
    const m = MessageSchema.safeParse(row)
    if (m.success) messages.push({ ...m.data, conversationId })
    else invalid++
  }
  return { messages, invalid }
}

/**
 * Validates an export's text: the file as a whole must be a Parley export of a
 * version this Parley reads (else a clear error, and nothing is imported), and each
 * conversation one (else its rows are left out and counted). The messages are
 * checked later, a batch at a time, with validRows: checking 100,000 at once would
 * hold the event loop.
 */
export async function parseExport(text: string, name: string): Promise<ImportFile> {
  const parsed = await parseExportText(text)
  if (!parsed.ok) throw notAnExport(name)
  const data = parsed.doc
  const header = HeaderSchema.safeParse(data)
  if (!header.success) {
    const format = (data as { format?: unknown } | null)?.format
    if (format === JSON_FORMAT) throw new ParleyError(`${name} is a damaged Parley history export: it has no list of conversations.`, 'invalid-argument')
    throw notAnExport(name)
  }
  const { version } = header.data
  if (version !== JSON_VERSION) {
    throw new ParleyError(`${name} is a Parley history export of version ${String(version)}; this Parley reads version ${JSON_VERSION}.`, 'invalid-argument')
  }
  const conversations: ImportConversation[] = []
  let total = 0
  let invalid = 0
  for (const raw of header.data.conversations) {
    const c = ConversationSchema.safeParse(raw)
    if (!c.success || parseConversationId(c.data.id)?.kind !== c.data.kind) {
      const count = (raw as { count?: unknown } | null)?.count
      invalid += typeof count === 'number' ? count : 1
      continue
    }
    const { id, kind, peer, title, chunks, count } = c.data
    conversations.push({ id, kind, peer, title, chunks, count })
    total += count
  }
  return { account: header.data.account ?? null, conversations, total, invalid }
}
