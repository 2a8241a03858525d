import { z } from 'zod'
import { ConversationIdSchema } from '../protocol/conversation-id'
import { defineContract } from './define'

export const ExportFormatSchema = z.enum(['json', 'html', 'markdown'])
export type ExportFormat = z.infer<typeof ExportFormatSchema>

/** Largest Parley JSON export the import reads (characters). */
export const MAX_IMPORT_CHARS = 256 * 1024 * 1024

/**
 * What a user interface may ask for over IPC or the web bridge: the file goes into the
 * exports folder. A path of its own choosing is for in-process callers only (the CLI's
 * --out), so a compromised renderer cannot write or probe files elsewhere.
 */
export const ExportInputSchema = z.object({
  /** One conversation, or null for the whole history. */
  conversationId: ConversationIdSchema.nullable(),
  format: ExportFormatSchema,
})
/** A file path, given only by in-process callers (the CLI). */
export const LocalPathSchema = z.string().min(1).max(4096)
export const LocalExportInputSchema = ExportInputSchema.extend({
  /** Where to write (an absolute path); by default a new file in the exports folder. */
  path: LocalPathSchema.nullish(),
})
export type ExportInput = z.input<typeof LocalExportInputSchema>

/**
 * Largest piece of a file's text sent in one call (characters): the web host's
 * bridge takes frames of at most 1 MB, and a character may take 3 bytes in UTF-8.
 * A larger file goes up in parts (`uploadPart`), then is imported by its upload id.
 */
export const MAX_UPLOAD_PART_CHARS = 200_000

/** Names an upload in parts: chosen by the user interface (a UUID). */
export const UploadIdSchema = z.string().regex(/^[0-9A-Za-z-]{8,64}$/, { error: 'Not an upload id.' })

/** What a user interface may send over IPC or the web bridge: the file's text, never a path to read. */
export const HistoryImportSchema = z.union([
  /** The file's text, for a user interface that read it itself (larger than a part: send it with uploadPart). */
  z.object({ text: z.string().max(MAX_IMPORT_CHARS), name: z.string().max(256).optional() }),
  /** The file's text sent before in parts with `uploadPart`. */
  z.object({ upload: UploadIdSchema, name: z.string().max(256).optional() }),
])
/** In-process callers (the CLI) may also name a file to read. */
export const LocalHistoryImportSchema = z.union([z.object({ path: LocalPathSchema }), ...HistoryImportSchema.options])
export type HistoryImportInput = z.input<typeof LocalHistoryImportSchema>

export type HistoryJobKind = 'export' | 'import'
export type HistoryJobState = 'running' | 'done' | 'failed' | 'cancelled'

/** A long export or import, as it goes. */
export interface HistoryJob {
  id: string
  kind: HistoryJobKind
  state: HistoryJobState
  /** Messages written (export) or read (import) so far. */
  done: number
  total: number
  /** The file written (export) or read (import). */
  path: string | null
  /** Import: messages added, and those already here (skipped, never duplicated). */
  added: number
  skipped: number
  /** Import: rows that were not valid messages (left out and counted). */
  invalid: number
  /** Why it failed, in words a person can act on. */
  error: string | null
}

export interface HistoryService {
  /** Starts an export; follow it with `historyJob` events. */
  exportHistory(input: ExportInput): Promise<HistoryJob>
  /** Starts an import of a Parley JSON export; messages already here are skipped. */
  importHistory(input: HistoryImportInput): Promise<HistoryJob>
  cancel(jobId: string): Promise<void>
  /**
   * Adds the next part (at most MAX_UPLOAD_PART_CHARS) of a file's text to the upload
   * `uploadId` (started by its first part); `importHistory({ upload })` then imports
   * it. An upload not imported within 10 minutes of its last part is dropped.
   */
  uploadPart(uploadId: string, text: string): Promise<void>
}

export interface HistoryEvents {
  historyJob: HistoryJob
}

export const historyContract = defineContract<HistoryService, HistoryEvents>()({
  methods: {
    exportHistory: z.tuple([ExportInputSchema]),
    importHistory: z.tuple([HistoryImportSchema]),
    cancel: z.tuple([z.string().min(1).max(64)]),
    uploadPart: z.tuple([UploadIdSchema, z.string().max(MAX_UPLOAD_PART_CHARS)]),
  },
  events: ['historyJob'],
})
