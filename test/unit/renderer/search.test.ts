/**
 * The renderer's search: snippets cut into marked pieces from the engine's ranges
 * (whatever the ranges are), the shortcuts, moving the selection, and the feature
 * over a fake API: typing is debounced, an answer to an older query never replaces
 * a newer one, failures become a message, paging appends, the shortcuts open the
 * panel on the right scope, and a result opens its message through the messages
 * feature's jump-to.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { ChatMessage, ParleyApi, SearchHit, SearchResults } from '../../../src/shared/contract'
import { defineFeature } from '../../../src/renderer/src/features/feature'
import { setupAccount } from '../../../src/renderer/src/features/account/io'
import { setupConversations } from '../../../src/renderer/src/features/conversations/io'
import { useConversationsStore } from '../../../src/renderer/src/features/conversations/store'
import { MessagesActionsKey, type MessagesActions } from '../../../src/renderer/src/features/messages/io'
import { highlightPieces, normalizeRanges } from '../../../src/renderer/src/features/search/highlight'
import { DEBOUNCE_MS, SearchActionsKey, setupSearch } from '../../../src/renderer/src/features/search/io'
import { moveSelection } from '../../../src/renderer/src/features/search/selection'
import { searchShortcut, shortcutLabel } from '../../../src/renderer/src/features/search/shortcuts'
import { useSearchStore } from '../../../src/renderer/src/features/search/store'
import { fakeApi, fakePage } from './fake-api'
import { installOver, type Installed } from './install-features'

vi.mock('../../../src/renderer/src/features/account/index.ts', async () => ({
  ...(await import('../../../src/renderer/src/features/account/io')),
  ...(await import('../../../src/renderer/src/features/account/store')),
}))
vi.mock('../../../src/renderer/src/features/conversations/index.ts', async () => ({
  ...(await import('../../../src/renderer/src/features/conversations/io')),
  ...(await import('../../../src/renderer/src/features/conversations/store')),
}))
vi.mock('../../../src/renderer/src/features/messages/index.ts', async () => ({
  ...(await import('../../../src/renderer/src/features/messages/io')),
}))

type Api = ParleyApi
const marked = (text: string, ranges: [number, number][]) =>
  highlightPieces(text, ranges)
    .map((p) => (p.mark ? `[${p.text}]` : p.text))
    .join('')

describe('search snippets: pieces from highlight ranges', () => {
  it('marks the ranges and gives the text back exactly', () => {
    expect(marked('a café in Paris', [[2, 6]])).toBe('a [café] in Paris')
    expect(highlightPieces('a café in Paris', [[2, 6], [10, 15]])).toEqual([
      { text: 'a ', mark: false },
      { text: 'café', mark: true },
      { text: ' in ', mark: false },
      { text: 'Paris', mark: true },
    ])
  })

  it('handles ranges at the very start and end, and the whole text', () => {
    expect(marked('C++ rocks', [[0, 3]])).toBe('[C++] rocks')
    expect(marked('我在北京', [[2, 4]])).toBe('我在[北京]')
    expect(marked('abc', [[0, 3]])).toBe('[abc]')
  })

  it('with no ranges, or only empty ones, is the plain text; an empty text is one empty piece', () => {
    expect(highlightPieces('plain', [])).toEqual([{ text: 'plain', mark: false }])
    expect(highlightPieces('plain', [[2, 2]])).toEqual([{ text: 'plain', mark: false }])
    expect(highlightPieces('', [[0, 3]])).toEqual([{ text: '', mark: false }])
  })

  it('guards against ranges the contract forbids: overlapping, unordered, reversed, out of bounds, not numbers', () => {
    expect(marked('multi-agent systems', [[6, 11], [0, 7]])).toBe('[multi-agent] systems')
    expect(marked('abcdef', [[4, 6], [0, 2]])).toBe('[ab]cd[ef]')
    expect(marked('abcdef', [[4, 2]])).toBe('abcdef')
    expect(marked('abcdef', [[-5, 2], [5, 99]])).toBe('[ab]cde[f]')
    expect(marked('abcdef', [[Number.NaN, 3], [1.7, 2.2]])).toBe('a[b]cdef')
    expect(normalizeRanges(10, [[0, 2], [2, 4], [3, 5]])).toEqual([[0, 5]])
  })
})

describe('search shortcuts and selection', () => {
  const key = (k: string, mods: Partial<Record<'ctrlKey' | 'metaKey' | 'altKey' | 'shiftKey', boolean>> = {}, code = `Key${k.toUpperCase()}`) => ({
    key: k,
    code,
    ctrlKey: false,
    metaKey: false,
    altKey: false,
    shiftKey: false,
    ...mods,
  })

  it('Ctrl+F searches the conversation, Ctrl+Shift+F all of them; Cmd does the same on a Mac', () => {
    expect(searchShortcut(key('f', { ctrlKey: true }))).toBe('conversation')
    expect(searchShortcut(key('F', { ctrlKey: true, shiftKey: true }))).toBe('all')
    expect(searchShortcut(key('f', { metaKey: true }))).toBe('conversation')
    expect(searchShortcut(key('f', { metaKey: true, shiftKey: true }))).toBe('all')
    // A Russian layout types "а" on the F key: the key's position still counts.
    expect(searchShortcut(key('а', { ctrlKey: true }, 'KeyF'))).toBe('conversation')
  })

  it('F alone, Alt combinations and other letters are not search', () => {
    expect(searchShortcut(key('f'))).toBeNull()
    expect(searchShortcut(key('f', { shiftKey: true }))).toBeNull()
    expect(searchShortcut(key('f', { ctrlKey: true, altKey: true }))).toBeNull()
    expect(searchShortcut(key('g', { ctrlKey: true }))).toBeNull()
  })

  it('labels the shortcuts for the platform', () => {
    expect(shortcutLabel('conversation', false)).toBe('Ctrl+F')
    expect(shortcutLabel('all', false)).toBe('Ctrl+Shift+F')
    expect(shortcutLabel('all', true)).toBe('⌘⇧F')
  })

  it('↑/↓ move through the results and stop at both ends', () => {
    expect(moveSelection(-1, 'ArrowDown', 3)).toBe(0)
    expect(moveSelection(0, 'ArrowDown', 3)).toBe(1)
    expect(moveSelection(2, 'ArrowDown', 3)).toBe(2)
    expect(moveSelection(2, 'ArrowUp', 3)).toBe(1)
    expect(moveSelection(0, 'ArrowUp', 3)).toBe(0)
    expect(moveSelection(1, 'ArrowDown', 0)).toBe(-1)
  })
})

const message = (id: string, conversationId = 'dm:bob', ts = 1_700_000_000_000): ChatMessage => ({
  id,
  conversationId,
  sender: 'bob',
  direction: 'in',
  ts,
  text: `text of ${id}`,
  status: 'received' as ChatMessage['status'],
  error: null,
})
const hit = (id: string, conversationId = 'dm:bob'): SearchHit => ({
  message: message(id, conversationId),
  conversationKind: 'dm',
  conversationTitle: 'bob',
  snippet: { text: `text of ${id}`, highlights: [[0, 4]] },
})
const results = (ids: string[], more: Partial<SearchResults> = {}): SearchResults => ({
  hits: ids.map((id) => hit(id)),
  next: null,
  parsed: { terms: [], from: null, in: null, before: null, after: null, hasLink: false, notes: [] },
  pending: 0,
  ...more,
})

/** A promise the test settles when it wants. */
function deferred<T>() {
  let resolve!: (v: T) => void
  let reject!: (e: unknown) => void
  const promise = new Promise<T>((res, rej) => ((resolve = res), (reject = rej)))
  return { promise, resolve, reject }
}

describe('renderer: search feature', () => {
  let fake: ReturnType<typeof fakeApi>
  let installed: Installed
  let win: EventTarget
  const searchApi = {
    search: vi.fn<Api['search']['search']>(async () => results([])),
    status: vi.fn<Api['search']['status']>(async () => ({ indexed: 0, pending: 0 })),
  }
  const openAt = vi.fn(async (_conversationId: string, _messageId: string) => {})

  const features = () => [
    defineFeature({ name: 'account', setup: setupAccount }),
    defineFeature({ name: 'conversations', dependsOn: ['account'], setup: setupConversations }),
    defineFeature({
      name: 'messages',
      dependsOn: ['conversations'],
      setup(ctx) {
        // Only jump-to matters here; search uses nothing else of the messages feature.
        ctx.provide(MessagesActionsKey, { openAt } as Partial<MessagesActions> as MessagesActions)
      },
    }),
    defineFeature({ name: 'search', dependsOn: ['conversations', 'messages'], setup: setupSearch }),
  ]

  beforeEach(async () => {
    vi.useFakeTimers()
    ;({ win } = fakePage())
    fake = fakeApi()
    Object.assign(fake.api, { search: searchApi })
    installed = installOver(fake.parley, features())
    await installed.start()
  })
  afterEach(() => {
    installed.stop()
    vi.useRealTimers()
    vi.unstubAllGlobals()
    vi.clearAllMocks()
    searchApi.search.mockImplementation(async () => results([]))
  })

  const press = (init: KeyboardEventInit & { key: string; code?: string }) => {
    const e = new Event('keydown', { cancelable: true }) as Event & Record<string, unknown>
    Object.assign(e, { ctrlKey: false, metaKey: false, altKey: false, shiftKey: false, code: '', ...init })
    win.dispatchEvent(e)
    return e
  }

  it('asks once the typing pauses, with the text typed last, and shows newest-first hits with the first selected', async () => {
    const actions = installed.use(SearchActionsKey)
    const store = useSearchStore(installed.pinia)
    searchApi.search.mockImplementation(async () => results(['m3', 'm2', 'm1']))
    actions.open('all')
    for (const text of ['c', 'ca', 'caf', 'café']) {
      actions.input(text)
      await vi.advanceTimersByTimeAsync(DEBOUNCE_MS / 3)
    }
    expect(searchApi.search).not.toHaveBeenCalled()
    expect(store.searching).toBe(true)
    await vi.advanceTimersByTimeAsync(DEBOUNCE_MS)
    expect(searchApi.search).toHaveBeenCalledTimes(1)
    expect(searchApi.search).toHaveBeenCalledWith({ text: 'café', conversationId: null, limit: 30 })
    expect(store.hits.map((h) => h.message.id)).toEqual(['m3', 'm2', 'm1'])
    expect(store.selected).toBe(0)
    expect(store.searching).toBe(false)
  })

  it('drops an answer to an older query that arrives after the newer one', async () => {
    const actions = installed.use(SearchActionsKey)
    const store = useSearchStore(installed.pinia)
    const slow = deferred<SearchResults>()
    const quick = deferred<SearchResults>()
    searchApi.search.mockImplementationOnce(() => slow.promise).mockImplementationOnce(() => quick.promise)
    actions.open('all')
    actions.input('ca')
    await vi.advanceTimersByTimeAsync(DEBOUNCE_MS)
    actions.input('café')
    await vi.advanceTimersByTimeAsync(DEBOUNCE_MS)
    expect(searchApi.search).toHaveBeenCalledTimes(2)
    quick.resolve(results(['new']))
    await vi.advanceTimersByTimeAsync(0)
    slow.resolve(results(['stale1', 'stale2']))
    await vi.advanceTimersByTimeAsync(0)
    expect(store.hits.map((h) => h.message.id)).toEqual(['new'])
    expect(store.answered).toBe('café')
    // A stale failure is dropped too.
    const late = deferred<SearchResults>()
    searchApi.search.mockImplementationOnce(() => late.promise).mockImplementationOnce(async () => results(['x']))
    actions.input('cafés')
    await vi.advanceTimersByTimeAsync(DEBOUNCE_MS)
    actions.input('cafés!')
    await vi.advanceTimersByTimeAsync(DEBOUNCE_MS)
    late.reject(new Error('too late'))
    await vi.advanceTimersByTimeAsync(0)
    expect(store.error).toBeNull()
    expect(store.hits.map((h) => h.message.id)).toEqual(['x'])
  })

  it('clearing the input shows the tips again and ignores the answer still on its way', async () => {
    const actions = installed.use(SearchActionsKey)
    const store = useSearchStore(installed.pinia)
    const pending = deferred<SearchResults>()
    searchApi.search.mockImplementationOnce(() => pending.promise)
    actions.open('all')
    actions.input('bei')
    await vi.advanceTimersByTimeAsync(DEBOUNCE_MS)
    actions.input('')
    pending.resolve(results(['m1']))
    await vi.advanceTimersByTimeAsync(DEBOUNCE_MS)
    expect(store.hits).toEqual([])
    expect(store.searching).toBe(false)
    expect(searchApi.search).toHaveBeenCalledTimes(1)
  })

  it('a failed search becomes a message, never an exception', async () => {
    const actions = installed.use(SearchActionsKey)
    const store = useSearchStore(installed.pinia)
    searchApi.search.mockRejectedValueOnce(new Error('The search index is being rebuilt.'))
    actions.open('all')
    actions.input('"')
    await vi.advanceTimersByTimeAsync(DEBOUNCE_MS)
    expect(store.error).toBe('The search index is being rebuilt.')
    expect(store.searching).toBe(false)
    expect(store.hits).toEqual([])
  })

  it('pages with the cursor and appends older results, keeping the selection', async () => {
    const actions = installed.use(SearchActionsKey)
    const store = useSearchStore(installed.pinia)
    searchApi.search
      .mockImplementationOnce(async () => results(['m4', 'm3'], { next: 'c1', pending: 12 }))
      .mockImplementationOnce(async () => results(['m2', 'm1'], { next: null }))
    actions.open('all')
    actions.input('word')
    await vi.advanceTimersByTimeAsync(DEBOUNCE_MS)
    expect(store.pending).toBe(12)
    store.selected = 1
    await actions.loadMore()
    expect(searchApi.search).toHaveBeenLastCalledWith({ text: 'word', conversationId: null, cursor: 'c1', limit: 30 })
    expect(store.hits.map((h) => h.message.id)).toEqual(['m4', 'm3', 'm2', 'm1'])
    expect(store.next).toBeNull()
    expect(store.selected).toBe(1)
    await actions.loadMore()
    expect(searchApi.search).toHaveBeenCalledTimes(2)
  })

  it('Ctrl+F opens search in the open conversation, Ctrl+Shift+F (or "Search all") in every one', async () => {
    const store = useSearchStore(installed.pinia)
    const actions = installed.use(SearchActionsKey)
    useConversationsStore(installed.pinia).select('dm:bob')
    const e = press({ key: 'f', code: 'KeyF', ctrlKey: true })
    expect(e.defaultPrevented).toBe(true)
    expect(store.isOpen).toBe(true)
    expect(store.scope).toBe('dm:bob')
    actions.input('hello')
    await vi.advanceTimersByTimeAsync(DEBOUNCE_MS)
    expect(searchApi.search).toHaveBeenLastCalledWith({ text: 'hello', conversationId: 'dm:bob', limit: 30 })
    // Widening searches the same text again, everywhere, at once.
    press({ key: 'F', code: 'KeyF', metaKey: true, shiftKey: true })
    expect(store.scope).toBeNull()
    await vi.advanceTimersByTimeAsync(0)
    expect(searchApi.search).toHaveBeenLastCalledWith({ text: 'hello', conversationId: null, limit: 30 })
    actions.close()
    expect(store.isOpen).toBe(false)
    // With no conversation open, Ctrl+F searches everything.
    useConversationsStore(installed.pinia).select(null)
    press({ key: 'f', code: 'KeyF', ctrlKey: true })
    expect(store.scope).toBeNull()
    expect(press({ key: 'f', code: 'KeyF' }).defaultPrevented).toBe(false)
  })

  it('Esc closes the panel wherever the focus is, unless something else took the key', async () => {
    const store = useSearchStore(installed.pinia)
    installed.use(SearchActionsKey).open('all')
    const taken = press({ key: 'Escape' })
    taken.preventDefault()
    await vi.advanceTimersByTimeAsync(0)
    expect(store.isOpen).toBe(true)
    // Esc that ends an input method's composition (Chinese, Japanese) in the composer is the IME's.
    press({ key: 'Escape', isComposing: true })
    await vi.advanceTimersByTimeAsync(0)
    expect(store.isOpen).toBe(true)
    press({ key: 'Escape' })
    await vi.advanceTimersByTimeAsync(0)
    expect(store.isOpen).toBe(false)
  })

  it('opening a result jumps to the message through the messages feature', async () => {
    await installed.use(SearchActionsKey).openHit(hit('m7', 'group:team'))
    expect(openAt).toHaveBeenCalledWith('group:team', 'm7')
  })

  it('a jump that fails is shown, not thrown', async () => {
    openAt.mockRejectedValueOnce(new Error('That message is no longer here.'))
    await installed.use(SearchActionsKey).openHit(hit('m7'))
    expect(useSearchStore(installed.pinia).error).toBe('That message is no longer here.')
  })

  it('follows the index: the pending count, and a search made while behind is asked again once it caught up', async () => {
    const actions = installed.use(SearchActionsKey)
    const store = useSearchStore(installed.pinia)
    searchApi.search.mockImplementationOnce(async () => results([], { pending: 500 })).mockImplementationOnce(async () => results(['m1']))
    actions.open('all')
    actions.input('北京')
    await vi.advanceTimersByTimeAsync(DEBOUNCE_MS)
    expect(store.pending).toBe(500)
    fake.emit('searchIndex', { pending: 200 })
    expect(store.pending).toBe(200)
    expect(searchApi.search).toHaveBeenCalledTimes(1)
    fake.emit('searchIndex', { pending: 0 })
    await vi.advanceTimersByTimeAsync(0)
    expect(searchApi.search).toHaveBeenCalledTimes(2)
    expect(store.hits.map((h) => h.message.id)).toEqual(['m1'])
  })
})
