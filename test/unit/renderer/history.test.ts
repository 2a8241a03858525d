/**
 * The renderer's history feature over a fake API, installed as the app installs it:
 * its places (the chat header's "Export chat…", Settings › History, the dialog), an
 * export followed through its events to "Saved to PATH", an import of a picked file
 * sent as text, a refusal shown in the dialog, and Cancel.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { HistoryJob } from '../../../src/shared/contract'
import { ParleyError } from '../../../src/shared/rpc'
import { defineFeature } from '../../../src/renderer/src/features/feature'
import { percent, progressText, resultText } from '../../../src/renderer/src/features/history/format'
import { HistoryActionsKey, parts, setupHistory } from '../../../src/renderer/src/features/history/io'
import { useHistoryStore } from '../../../src/renderer/src/features/history/store'
import { useConversationsStore } from '../../../src/renderer/src/features/conversations/store'
import { history } from '../../../src/renderer/src/features/history'
import { fakeApi, fakePage } from './fake-api'
import { installOver, type Installed } from './install-features'

// The components are drawn by the app (and the E2E tests); here only where the feature puts them matters.
vi.mock('../../../src/renderer/src/features/history/ExportChatButton.vue', () => ({ default: { name: 'ExportChatButton' } }))
vi.mock('../../../src/renderer/src/features/history/HistorySection.vue', () => ({ default: { name: 'HistorySection' } }))
vi.mock('../../../src/renderer/src/features/history/HistoryDialog.vue', () => ({ default: { name: 'HistoryDialog' } }))
vi.mock('../../../src/renderer/src/features/conversations/index.ts', async () => ({
  ...(await import('../../../src/renderer/src/features/conversations/store')),
  ...(await import('../../../src/renderer/src/features/conversations/title')),
}))

const BOB = { id: 'dm:bob', kind: 'dm', peer: 'bob' } as const
const job = (over: Partial<HistoryJob> = {}): HistoryJob => ({
  id: 'job-1',
  kind: 'export',
  state: 'running',
  done: 0,
  total: 4000,
  path: '/data/exports/parley-bob-2026-11-29-1000.html',
  added: 0,
  skipped: 0,
  invalid: 0,
  error: null,
  ...over,
})

describe('renderer: history export and import', () => {
  let fake: ReturnType<typeof fakeApi>
  let installed: Installed
  const history$ = {
    exportHistory: vi.fn(async () => job()),
    importHistory: vi.fn(async () => job({ id: 'job-2', kind: 'import', path: null, total: 5 })),
    cancel: vi.fn(async () => {}),
    uploadPart: vi.fn(async () => {}),
  }

  beforeEach(async () => {
    fakePage()
    fake = fakeApi()
    for (const f of Object.values(history$)) f.mockClear()
    Object.assign(fake.api, { history: history$ })
    installed = installOver(fake.parley, [defineFeature({ name: 'history', setup: setupHistory })])
    await installed.start()
  })
  afterEach(() => {
    installed.stop()
    vi.unstubAllGlobals()
  })

  it('adds "Export chat…" to the chat header, a History settings section and its dialog', () => {
    const fresh = fakeApi()
    const all = installOver(fresh.parley, [defineFeature({ name: 'conversations', setup() {} }), history])
    try {
      expect(all.extensions.list('conversation.actions')).toEqual([{ name: 'ExportChatButton' }])
      expect(all.extensions.list('settings.section').map((s) => [s.id, s.title, s.component])).toEqual([['history', 'History', { name: 'HistorySection' }]])
      expect(all.extensions.list('app.overlay')).toEqual([{ name: 'HistoryDialog' }])
    } finally {
      all.stop()
    }
  })

  it('the export dialog names a group or room by its title, not by its id', () => {
    const store = useHistoryStore(installed.pinia)
    const group = { id: 'group:7f3a', kind: 'group', peer: '7f3a9c1e-team', title: 'Design team', folder: 'inbox', lastMessage: null, unread: 0, updatedAt: 1 } as const
    useConversationsStore(installed.pinia).upsert(group)
    installed.use(HistoryActionsKey).openExport(group)
    expect(store.dialog).toMatchObject({ mode: 'export', conversationId: 'group:7f3a', peer: 'Design team' })
  })

  it('exports a chat in the chosen format and follows the job to "Saved to PATH"', async () => {
    const store = useHistoryStore(installed.pinia)
    const actions = installed.use(HistoryActionsKey)
    actions.openExport(BOB)
    expect(store.dialog).toEqual({ mode: 'export', conversationId: 'dm:bob', peer: 'bob', inline: false })
    await actions.exportAs('html')
    expect(history$.exportHistory).toHaveBeenCalledWith({ conversationId: 'dm:bob', format: 'html' })
    expect(store.job).toMatchObject({ id: 'job-1', state: 'running' })

    fake.emit('historyJob', job({ done: 1000 }))
    expect(percent(store.job!)).toBe(25)
    expect(progressText(store.job!)).toBe('Exported 1,000 of 4,000 messages…')
    // Another job's events (a CLI export) do not move this dialog.
    fake.emit('historyJob', job({ id: 'other', done: 4000, state: 'done' }))
    expect(store.job!.done).toBe(1000)
    fake.emit('historyJob', job({ done: 4000, state: 'done' }))
    expect(resultText(store.job!)).toBe('Saved to /data/exports/parley-bob-2026-11-29-1000.html')
    expect(percent(store.job!)).toBe(100)

    await actions.close()
    expect(store.dialog).toBeNull()
    expect(history$.cancel).not.toHaveBeenCalled()
  })

  it('a job that ends before its start is answered still shows as ended', async () => {
    history$.exportHistory.mockImplementationOnce(async () => {
      fake.emit('historyJob', job({ done: 3, total: 3, state: 'done' }))
      return job({ total: 3 })
    })
    const store = useHistoryStore(installed.pinia)
    const actions = installed.use(HistoryActionsKey)
    actions.openExport(null)
    await actions.exportAs('json')
    expect(history$.exportHistory).toHaveBeenCalledWith({ conversationId: null, format: 'json' })
    expect(store.job).toMatchObject({ state: 'done', done: 3 })
  })

  it('imports a picked file as text and says how many were added and already here', async () => {
    const store = useHistoryStore(installed.pinia)
    const actions = installed.use(HistoryActionsKey)
    actions.openImport()
    await actions.importFile({ name: 'parley-bob.json', text: async () => '{"format":"parley-history"}' })
    expect(history$.importHistory).toHaveBeenCalledWith({ text: '{"format":"parley-history"}', name: 'parley-bob.json' })
    fake.emit('historyJob', job({ id: 'job-2', kind: 'import', path: null, total: 5, done: 5, added: 3, skipped: 2, state: 'done' }))
    expect(resultText(store.job!)).toBe('Imported 3 messages, 2 already here.')
    expect(resultText({ ...store.job!, added: 1, skipped: 0, invalid: 2 })).toBe('Imported 1 message, 0 already here; 2 not valid (left out).')
  })

  it('sends a file larger than one message of the web bridge in parts, then imports it by its upload id', async () => {
    const actions = installed.use(HistoryActionsKey)
    actions.openImport()
    const text = 'x'.repeat(199_999) + '😀' + 'y'.repeat(250_000)
    await actions.importFile({ name: 'big.json', text: async () => text })
    const sent = history$.uploadPart.mock.calls as unknown as [string, string][]
    expect(sent.map(([, part]) => part.length)).toEqual([199_999, 200_000, 50_002])
    expect(new Set(sent.map(([id]) => id)).size).toBe(1)
    expect(sent.map(([, part]) => part).join('')).toBe(text)
    expect(history$.importHistory).toHaveBeenCalledWith({ upload: sent[0]![0], name: 'big.json' })
    expect(parts('ab😀', 3)).toEqual(['ab', '😀'])
  })

  it('closing the dialog while a large file is still being sent in parts imports nothing, and a job started as it closes is cancelled', async () => {
    const store = useHistoryStore(installed.pinia)
    const actions = installed.use(HistoryActionsKey)
    actions.openImport()
    let release!: () => void
    history$.uploadPart.mockImplementationOnce(() => new Promise<void>((r) => (release = r)))
    const done = actions.importFile({ name: 'big.json', text: async () => 'x'.repeat(450_000) })
    await vi.waitFor(() => expect(history$.uploadPart).toHaveBeenCalledTimes(1))
    await actions.close()
    release()
    await done
    expect(history$.uploadPart).toHaveBeenCalledTimes(1)
    expect(history$.importHistory).not.toHaveBeenCalled()
    expect(store.dialog).toBeNull()

    // The start's answer comes after the dialog closed: that job is stopped, not left running unseen.
    actions.openImport()
    let answer!: (j: HistoryJob) => void
    history$.importHistory.mockImplementationOnce(() => new Promise<HistoryJob>((r) => (answer = r)))
    const second = actions.importFile({ name: 'small.json', text: async () => '{}' })
    await vi.waitFor(() => expect(history$.importHistory).toHaveBeenCalledTimes(1))
    await actions.close()
    answer(job({ id: 'job-3', kind: 'import', path: null, total: 5 }))
    await second
    expect(history$.cancel).toHaveBeenCalledWith('job-3')
    expect(store.jobId).toBeNull()
  })

  it('shows why a file cannot be imported, and starts nothing', async () => {
    history$.importHistory.mockRejectedValueOnce(new ParleyError('notes.txt is not a Parley history export (the JSON file that Export writes).', 'invalid-argument'))
    const store = useHistoryStore(installed.pinia)
    const actions = installed.use(HistoryActionsKey)
    actions.openImport()
    await actions.importFile({ name: 'notes.txt', text: async () => 'hello' })
    expect(store.error).toBe('notes.txt is not a Parley history export (the JSON file that Export writes).')
    expect(store.job).toBeNull()
  })

  it('Cancel stops the running job; closing the dialog while it runs cancels it too', async () => {
    const store = useHistoryStore(installed.pinia)
    const actions = installed.use(HistoryActionsKey)
    actions.openExport(BOB)
    await actions.exportAs('markdown')
    await actions.cancel()
    expect(history$.cancel).toHaveBeenCalledWith('job-1')
    fake.emit('historyJob', job({ done: 1000, state: 'cancelled' }))
    expect(resultText(store.job!)).toBe('Export cancelled: no file was written.')

    history$.cancel.mockClear()
    actions.openExport(BOB)
    await actions.exportAs('markdown')
    await actions.close()
    expect(history$.cancel).toHaveBeenCalledWith('job-1')
    expect(store.dialog).toBeNull()
  })
})
