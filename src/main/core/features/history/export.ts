import { mkdir, open, realpath, unlink, type FileHandle } from 'node:fs/promises'
import { isAbsolute, join, relative, sep } from 'node:path'
import type { ExportFormat } from '../../../../shared/contract'
import { ParleyError } from '../../../../shared/rpc'
import type { MessagesApi } from '../messages/api'
import { historyWriter, type ExportConversation, type ExportMeta, type HistoryWriter } from './formats'
import { breathe, type RunningJob } from './jobs'

/** Rows read and written at a time: a page takes ~10 ms (HTML, the slowest), then the event loop runs. */
export const EXPORT_PAGE = 1000

const pad = (n: number): string => String(n).padStart(2, '0')

/** `parley-<conversation or all>-<YYYY-MM-DD-HHmm>`: what a person recognises in a folder. */
export function exportBaseName(conversation: ExportConversation | null, now: Date): string {
  const what = conversation ? (conversation.kind === 'dm' ? conversation.peer : `${conversation.kind}-${conversation.peer}`) : 'all'
  const safe = what.replace(/[^\p{L}\p{N}._-]+/gu, '_').slice(0, 60)
  const stamp = `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}-${pad(now.getHours())}${pad(now.getMinutes())}`
  return `parley-${safe}-${stamp}`
}

/** Opens the file to write: the given path (replaced if it exists), or a new file in the exports folder. */
export async function openExportFile(
  dataDir: string,
  given: string | null | undefined,
  base: string,
  writer: HistoryWriter,
): Promise<{ path: string; file: FileHandle }> {
  if (given) {
    if (!isAbsolute(given)) throw new ParleyError(`Export to an absolute path, not ${given}.`, 'invalid-argument')
    await refuseDataFile(dataDir, given)
    try {
      return { path: given, file: await open(given, 'w', 0o600) }
    } catch (err) {
      throw new ParleyError(`Cannot write ${given}: ${(err as Error).message}`, 'failed')
    }
  }
  const dir = join(dataDir, 'exports')
  // Private as the rest of the data directory: an export is the whole conversation in plain text.
  await mkdir(dir, { recursive: true, mode: 0o700 })
  // Two exports in one minute get -2, -3…: an export never replaces an earlier one.
  for (let n = 1; ; n++) {
    const path = join(dir, `${base}${n > 1 ? `-${n}` : ''}.${writer.extension}`)
    try {
      return { path, file: await open(path, 'wx', 0o600) }
    } catch (err) {
      if ((err as { code?: string }).code !== 'EEXIST' || n >= 1000) throw new ParleyError(`Cannot write ${path}: ${(err as Error).message}`, 'failed')
    }
  }
}

/**
 * An export never writes over Parley's own files (history.db, its WAL, settings.json),
 * also not through a link: opening one to write empties it, and a cancelled or failed
 * export removes its file. A new file anywhere, or one in the exports folder, is fine.
 */
async function refuseDataFile(dataDir: string, given: string): Promise<void> {
  const target = await realpath(given).catch(() => null)
  if (target === null) return
  const inside = relative(await realpath(dataDir).catch(() => dataDir), target)
  if (inside.startsWith('..') || isAbsolute(inside) || inside.split(sep)[0] === 'exports') return
  throw new ParleyError(`Cannot export over ${given}: it is one of Parley's own files. Choose a new file.`, 'invalid-argument')
}

export interface ExportPlan {
  format: ExportFormat
  conversations: readonly ExportConversation[]
  meta: ExportMeta
  path: string
  file: FileHandle
}

/**
 * Writes the conversations oldest first, a page at a time, yielding between pages;
 * stops after the page it is on when the job is cancelled. On cancel or failure the
 * partial file is removed: a file that exists is a whole export.
 */
export async function runExport(job: RunningJob, messages: MessagesApi, plan: ExportPlan): Promise<void> {
  const writer = historyWriter(plan.format)
  const { file } = plan
  try {
    await file.writeFile(writer.begin(plan.meta))
    for (const c of plan.conversations) {
      await file.writeFile(writer.open(c))
      let after: { ts: number; id: string } | null = null
      for (;;) {
        if (job.cancelled) break
        const page = messages.oldestFirst(c.id, after, EXPORT_PAGE)
        if (page.length) await file.writeFile(writer.messages(page))
        job.job.done += page.length
        job.progress()
        if (page.length < EXPORT_PAGE) break
        const last = page[page.length - 1]!
        after = { ts: last.ts, id: last.id }
        await breathe()
      }
      if (job.cancelled) break
      await file.writeFile(writer.close())
    }
    if (!job.cancelled) await file.writeFile(writer.end())
    await file.close()
    if (job.cancelled) {
      await unlink(plan.path).catch(() => {})
      job.end('cancelled')
    } else job.end('done')
  } catch (err) {
    await file.close().catch(() => {})
    await unlink(plan.path).catch(() => {})
    job.end('failed', `The export could not be written to ${plan.path}: ${(err as Error).message}`)
  }
}
