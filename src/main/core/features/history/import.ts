import type { ConversationsApi } from '../conversations'
import type { MessagesApi } from '../messages/api'
import { validRows, type ImportFile } from './import-file'
import { breathe, type RunningJob } from './jobs'

/**
 * Checks and stores an export's messages a batch (one transaction) at a time, each under its
 * own id: what is here already is skipped, so a second import adds nothing. A
 * conversation the import creates goes to the conversation list (it is my own
 * history, not a request) with the export's title; one that gets no message is
 * removed again. A cancel stops after the batch it is on; batches stored stay.
 */
export async function runImport(job: RunningJob, deps: { messages: MessagesApi; conversations: ConversationsApi }, file: ImportFile): Promise<void> {
  const { messages, conversations } = deps
  try {
    for (const c of file.conversations) {
      if (job.cancelled) break
      // Made with no activity time: the messages stored into it set it to the newest of them (not to now).
      const created = conversations.store.ensure(c.id, 0, false)
      if (created && c.kind !== 'dm' && c.title && c.title !== c.peer) conversations.store.setTitle(c.id, c.title)
      let added = 0
      for (const chunk of c.chunks) {
        if (job.cancelled) break
        const batch = validRows(c.id, chunk)
        const stored = messages.storeHistory(batch.messages)
        added += stored.length
        job.job.added += stored.length
        job.job.skipped += batch.messages.length - stored.length
        job.job.invalid += batch.invalid
        job.job.done += batch.messages.length + batch.invalid
        job.progress()
        await breathe()
      }
      if (created && added === 0) conversations.store.remove(c.id)
      else if (added > 0) conversations.announce(c.id)
    }
    job.end(job.cancelled ? 'cancelled' : 'done')
  } catch (err) {
    job.end('failed', `The import stopped: ${(err as Error).message}`)
  }
}
