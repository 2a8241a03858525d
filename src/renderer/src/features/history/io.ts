/**
 * The history feature's I/O: opening the export / import dialog, starting a job
 * (export to a file in the data directory's exports folder, import of a file read
 * here as text so it works in the web host as in the app), following it through
 * `historyJob` events, and cancelling it.
 */
import { inject, type InjectionKey } from 'vue'
import { MAX_UPLOAD_PART_CHARS, type ExportFormat, type HistoryJob } from '../../../../shared/contract'
import type { ConversationRef } from '../../ui/extensions'
import { errorMessage } from '../../ui/errors'
import { conversationTitle, useConversationsStore } from '../conversations'
import type { FeatureContext } from '../feature'
import { useHistoryStore } from './store'

export interface HistoryActions {
  /** Opens the dialog to export one conversation, or every one (null); `inline`: in Settings › History. */
  openExport(conversation: ConversationRef | null, inline?: boolean): void
  openImport(inline?: boolean): void
  /** Closes the dialog; a job still running is cancelled. */
  close(): Promise<void>
  /** Starts the export the dialog is for; the dialog follows it. */
  exportAs(format: ExportFormat): Promise<void>
  /** Reads a picked file and imports it; the dialog follows it, or says why it cannot. */
  importFile(file: Pick<File, 'name' | 'text'>): Promise<void>
  /** Stops the dialog's job (an export's partial file is removed). */
  cancel(): Promise<void>
}

/** `text` in pieces of at most `size` characters, never cutting a surrogate pair (an emoji) in two. */
export function parts(text: string, size: number): string[] {
  const out: string[] = []
  for (let at = 0; at < text.length; ) {
    let end = Math.min(text.length, at + size)
    const last = text.charCodeAt(end - 1)
    if (end < text.length && last >= 0xd800 && last <= 0xdbff) end--
    out.push(text.slice(at, end))
    at = end
  }
  return out
}

export const HistoryActionsKey: InjectionKey<HistoryActions> = Symbol('parley-history')

export function useHistoryActions(): HistoryActions {
  const actions = inject(HistoryActionsKey)
  if (!actions) throw new Error('The history feature is not installed.')
  return actions
}

export function setupHistory(ctx: FeatureContext): void {
  const { api } = ctx
  const store = useHistoryStore(ctx.pinia)
  const conversations = useConversationsStore(ctx.pinia)

  /** How the dialog names a conversation: its title as the list shows it (a group's peer is its id). */
  function shownName(c: ConversationRef): string {
    const summary = conversations.byId[c.id]
    return summary ? conversationTitle(ctx.extensions, summary) : c.peer
  }

  ctx.onStop(api.on('historyJob', (job) => store.remember(job)))

  /** Thrown inside a start whose dialog was closed meanwhile: nothing more is sent, nothing is shown. */
  const closed = new Error('The history dialog was closed.')

  /**
   * Starts a job for the dialog; a refusal is shown in it. `begin` asks `open()`
   * between its steps (a large file's parts): closing the dialog stops it there, and a
   * job whose start is answered after the dialog closed is cancelled, not left running unseen.
   */
  async function start(begin: (open: () => void) => Promise<HistoryJob>): Promise<void> {
    if (store.starting || store.job?.state === 'running') return
    const dialog = store.dialog
    const open = (): void => {
      if (store.dialog !== dialog) throw closed
    }
    store.starting = true
    store.error = null
    try {
      const job = await begin(open)
      if (store.dialog !== dialog) {
        if (job.state === 'running') await api.history.cancel(job.id).catch(() => {})
        return
      }
      store.remember(job, true)
      store.jobId = job.id
    } catch (err) {
      if (err !== closed && store.dialog === dialog) store.error = errorMessage(err)
    } finally {
      if (store.dialog === dialog) store.starting = false
    }
  }

  async function cancel(): Promise<void> {
    const job = store.job
    if (job?.state === 'running') await api.history.cancel(job.id)
  }

  ctx.provide(HistoryActionsKey, {
    openExport: (c, inline = false) => store.open({ mode: 'export', conversationId: c?.id ?? null, peer: c ? shownName(c) : null, inline }),
    openImport: (inline = false) => store.open({ mode: 'import', inline }),
    async close() {
      const running = store.job?.state === 'running' ? store.job.id : null
      store.close()
      if (running) await api.history.cancel(running).catch(() => {})
    },
    async exportAs(format) {
      const d = store.dialog
      if (d?.mode !== 'export') return
      await start(() => api.history.exportHistory({ conversationId: d.conversationId, format }))
    },
    async importFile(file) {
      await start(async (open) => {
        const text = await file.text()
        open()
        const name = file.name.slice(0, 256)
        if (text.length <= MAX_UPLOAD_PART_CHARS) return api.history.importHistory({ text, name })
        // The web host's bridge takes messages of at most 1 MB: a larger file goes in parts.
        // getRandomValues, not randomUUID: the page may be served over plain http on a LAN address.
        const upload = Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('')
        for (const part of parts(text, MAX_UPLOAD_PART_CHARS)) {
          open()
          await api.history.uploadPart(upload, part)
        }
        open()
        return api.history.importHistory({ upload, name })
      })
    },
    cancel,
  })
}
