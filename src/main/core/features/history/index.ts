import { historyContract, LocalExportInputSchema, LocalHistoryImportSchema, type HistoryJob } from '../../../../shared/contract'
import { ParleyError } from '../../../../shared/rpc'
import { defineFeature } from '../../kernel/feature'
import type { ConversationsApi } from '../conversations'
import type { MessagesApi } from '../messages/api'
import { exportBaseName, openExportFile, runExport } from './export'
import { historyWriter, type ExportConversation } from './formats'
import { runImport } from './import'
import { parseExport, readExportFile } from './import-file'
import { RunningJob } from './jobs'
import { Uploads } from './uploads'

/**
 * Export of one conversation or the whole history (Parley's JSON, a readable HTML
 * page or Markdown) and import of Parley's JSON export. Both run as jobs a page at a
 * time, yielding to the event loop between pages, with `historyJob` events (at most
 * five a second, and the last one always) and cancel. Import stores through the
 * messages feature under the exported ids: importing twice adds nothing, and it
 * publishes nothing.
 */
export const historyFeature = defineFeature({
  name: 'history',
  dependsOn: ['conversations', 'messages'],
  create(ctx) {
    const conversations = ctx.use<ConversationsApi>('conversations')
    const messages = ctx.use<MessagesApi>('messages')
    const jobs = new Map<string, RunningJob>()
    const uploads = new Uploads()
    const emit = (job: HistoryJob): void => ctx.events.emit('historyJob', job)

    /** Runs a job in the background; it leaves the list when it is over. */
    const track = (job: RunningJob, run: Promise<void>): HistoryJob => {
      jobs.set(job.job.id, job)
      void run.finally(() => jobs.delete(job.job.id))
      emit(job.snapshot())
      return job.snapshot()
    }

    const toExport = (c: { id: string; kind: ExportConversation['kind']; peer: string; title: string }): ExportConversation => ({
      id: c.id,
      kind: c.kind,
      peer: c.peer,
      title: c.title,
    })

    return {
      service: {
        async exportHistory(input) {
          const { conversationId, format, path } = LocalExportInputSchema.parse(input)
          let chosen: ExportConversation[]
          if (conversationId !== null) {
            const c = conversations.store.get(conversationId)
            if (!c) throw new ParleyError('There is no such conversation in this history.', 'not-found')
            chosen = [toExport(c)]
          } else chosen = conversations.store.list().map(toExport).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
          const total = conversationId === null ? messages.count(null) : messages.count(conversationId)
          const now = new Date()
          const base = exportBaseName(conversationId === null ? null : chosen[0]!, now)
          const opened = await openExportFile(ctx.dataDir, path, base, historyWriter(format))
          const job = new RunningJob('export', total, opened.path, emit)
          const meta = { exportedAt: now.getTime(), account: ctx.account()?.user ?? null }
          return track(job, runExport(job, messages, { format, conversations: chosen, meta, ...opened }))
        },

        async importHistory(input) {
          const source = LocalHistoryImportSchema.parse(input)
          const name = 'path' in source ? source.path : (source.name ?? 'The file')
          const text = 'path' in source ? await readExportFile(source.path) : 'upload' in source ? uploads.take(source.upload) : source.text
          const file = await parseExport(text, name)
          const me = ctx.account()?.user
          if (me && file.account && file.account !== me) {
            throw new ParleyError(`${name} is the history of ${file.account}; this Parley is ${me}'s.`, 'invalid-argument')
          }
          const job = new RunningJob('import', file.total, 'path' in source ? source.path : null, emit)
          job.job.invalid = file.invalid
          return track(job, runImport(job, { messages, conversations }, file))
        },

        async uploadPart(uploadId, text) {
          const [id, part] = historyContract.methods.uploadPart.parse([uploadId, text])
          uploads.append(id, part)
        },

        async cancel(jobId) {
          const job = jobs.get(jobId)
          if (!job) return
          job.cancelled = true
          await job.finished
        },
      },
      close() {
        uploads.close()
        for (const job of jobs.values()) job.cancelled = true
      },
    }
  },
})
