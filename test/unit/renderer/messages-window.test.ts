/**
 * The window of a conversation the renderer holds: pages in both directions, a
 * window opened in the middle (jump-to, a first unread far back), and what a new
 * message does to it; then the messages feature landing a conversation at its
 * first unread and jumping to a message, over a fake API.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createPinia, setActivePinia, type Pinia } from 'pinia'
import type { ChatMessage, ConversationSummary, MessagePage } from '../../../src/shared/contract'
import { defineFeature } from '../../../src/renderer/src/features/feature'
import { setupAccount } from '../../../src/renderer/src/features/account/io'
import { ConversationsActionsKey, setupConversations } from '../../../src/renderer/src/features/conversations/io'
import { useConversationsStore } from '../../../src/renderer/src/features/conversations/store'
import { MessagesActionsKey, PAGE_SIZE, setupMessages } from '../../../src/renderer/src/features/messages/io'
import { MAX_HELD, useMessagesStore } from '../../../src/renderer/src/features/messages/store'
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

const msg = (n: number, over: Partial<ChatMessage> = {}): ChatMessage => ({
  id: `m${String(n).padStart(4, '0')}`,
  conversationId: 'dm:bob',
  sender: 'bob',
  direction: 'in',
  ts: n * 10,
  text: `text ${n}`,
  status: 'seen',
  error: null,
  ...over,
})
const range = (from: number, to: number): ChatMessage[] => Array.from({ length: to - from + 1 }, (_, i) => msg(from + i))
const page = (messages: ChatMessage[], over: Partial<MessagePage> = {}): MessagePage => ({ messages, hasMore: false, hasNewer: false, firstUnread: null, ...over })

describe('messages store: the window', () => {
  beforeEach(() => setActivePinia(createPinia()))
  const ids = () => useMessagesStore().thread('dm:bob').messages.map((m) => m.id)

  it('a window around a message that does not touch what is held replaces it, and says there is newer', () => {
    const s = useMessagesStore()
    s.addPage('dm:bob', page(range(91, 100), { hasMore: true }), false)
    s.setWindow('dm:bob', page(range(10, 20), { hasMore: true, hasNewer: true }))
    expect(ids()).toEqual(range(10, 20).map((m) => m.id))
    expect(s.thread('dm:bob')).toMatchObject({ hasMore: true, hasNewer: true, loaded: true })
  })

  it('a window that overlaps what is held is merged; the ends keep what each side knew', () => {
    const s = useMessagesStore()
    s.addPage('dm:bob', page(range(15, 30), { hasMore: true }), false)
    s.setWindow('dm:bob', page(range(10, 20), { hasMore: true, hasNewer: true }))
    expect(ids()).toEqual(range(10, 30).map((m) => m.id))
    // Older than what was held: the window's hasMore; the newest end is still the newest.
    expect(s.thread('dm:bob')).toMatchObject({ hasMore: true, hasNewer: false })
  })

  it('paging back through a long history holds at most MAX_HELD: the newest end goes and is read again on the way down', () => {
    const s = useMessagesStore()
    const total = MAX_HELD + 500
    s.addPage('dm:bob', page(range(total - 49, total), { hasMore: true }), false)
    for (let last = total - 50; last > 0; last -= 50) s.addPage('dm:bob', page(range(Math.max(1, last - 49), last), { hasMore: last > 50 }), true)
    const t = s.thread('dm:bob')
    expect(t.messages).toHaveLength(MAX_HELD)
    expect(ids()[0]).toBe(msg(1).id)
    expect(ids().at(-1)).toBe(msg(MAX_HELD).id)
    expect(t).toMatchObject({ hasMore: false, hasNewer: true })
    // In order, and no message twice.
    expect(new Set(ids()).size).toBe(MAX_HELD)
    expect([...ids()].sort()).toEqual(ids())
  })

  it('pages after the last message extend the window until it reaches the newest', () => {
    const s = useMessagesStore()
    s.setWindow('dm:bob', page(range(10, 20), { hasMore: true, hasNewer: true }))
    s.addNewer('dm:bob', page(range(21, 30), { hasMore: true, hasNewer: true }))
    expect(s.thread('dm:bob').hasNewer).toBe(true)
    s.addNewer('dm:bob', page(range(31, 35), { hasMore: true, hasNewer: false }))
    expect(ids()).toEqual(range(10, 35).map((m) => m.id))
    expect(s.thread('dm:bob')).toMatchObject({ hasMore: true, hasNewer: false })
  })

  it('scrolling down from far back (a jump, a first unread) holds at most MAX_HELD too: the oldest end goes and is read again on the way up', () => {
    const s = useMessagesStore()
    const total = MAX_HELD + 500
    s.setWindow('dm:bob', page(range(1, 50), { hasMore: false, hasNewer: true }))
    for (let first = 51; first <= total; first += 50) s.addNewer('dm:bob', page(range(first, Math.min(total, first + 49)), { hasMore: true, hasNewer: first + 49 < total }))
    const t = s.thread('dm:bob')
    expect(t.messages).toHaveLength(MAX_HELD)
    expect(ids().at(-1)).toBe(msg(total).id)
    expect(ids()[0]).toBe(msg(total - MAX_HELD + 1).id)
    expect(t).toMatchObject({ hasMore: true, hasNewer: false })
  })

  it('a new message past a window in the middle is not spliced in, only counted; at the end it is added', () => {
    const s = useMessagesStore()
    s.setWindow('dm:bob', page(range(10, 20), { hasMore: true, hasNewer: true }))
    s.upsert(msg(500, { status: 'received' }))
    expect(ids()).toEqual(range(10, 20).map((m) => m.id))
    expect(s.thread('dm:bob').newBelow).toBe(1)
    // A change of a message the window holds still shows.
    s.upsert({ ...msg(15), text: 'edited' })
    expect(s.thread('dm:bob').messages.find((m) => m.id === msg(15).id)?.text).toBe('edited')
    // The newest page brings the window to the end (a gap: it starts over from there).
    s.addPage('dm:bob', page(range(451, 500), { hasMore: true }), false)
    expect(ids()).toEqual(range(451, 500).map((m) => m.id))
    expect(s.thread('dm:bob').hasNewer).toBe(false)
    s.upsert(msg(501, { status: 'received' }))
    expect(ids().at(-1)).toBe(msg(501).id)
    expect(s.thread('dm:bob').newBelow).toBe(2)
    s.clearNewBelow('dm:bob')
    expect(s.thread('dm:bob').newBelow).toBe(0)
  })

  it('a newest page that touches a window in the middle joins it to the end', () => {
    const s = useMessagesStore()
    s.setWindow('dm:bob', page(range(10, 20), { hasMore: true, hasNewer: true }))
    s.addPage('dm:bob', page(range(18, 25), { hasMore: true }), false)
    expect(ids()).toEqual(range(10, 25).map((m) => m.id))
    expect(s.thread('dm:bob')).toMatchObject({ hasMore: true, hasNewer: false })
  })
})

describe('messages feature: landing and jump-to', () => {
  let fake: ReturnType<typeof fakeApi>
  let pinia: Pinia
  let use: Installed['use']
  let stop: () => void
  const summary = (unread: number): ConversationSummary => ({
    id: 'dm:bob',
    kind: 'dm',
    peer: 'bob',
    title: 'bob',
    folder: 'inbox',
    lastMessage: null,
    unread,
    updatedAt: 1,
  })

  beforeEach(async () => {
    fakePage()
    fake = fakeApi()
    const installed = installOver(fake.parley, [
      defineFeature({ name: 'account', setup: setupAccount }),
      defineFeature({ name: 'conversations', dependsOn: ['account'], setup: setupConversations }),
      defineFeature({ name: 'messages', dependsOn: ['account', 'conversations'], setup: setupMessages }),
    ])
    pinia = installed.pinia
    use = installed.use
    stop = installed.stop
    await installed.start()
  })
  afterEach(() => {
    stop()
    vi.unstubAllGlobals()
  })

  const thread = () => useMessagesStore(pinia).thread('dm:bob')
  const calls = () => fake.api.messages.page.mock.calls.map(([q]) => q)

  it('opening a conversation with unread messages asks where they start before marking it read, and lands there', async () => {
    useConversationsStore(pinia).upsert(summary(3))
    fake.api.messages.page.mockResolvedValueOnce(page(range(1, 50), { hasMore: true, firstUnread: { ts: 480, id: msg(48).id } }))
    use(ConversationsActionsKey).select('dm:bob')
    // The page request went out first: the engine still knew what was unread.
    expect(fake.api.messages.page.mock.invocationCallOrder[0]!).toBeLessThan(fake.api.conversations.markRead.mock.invocationCallOrder[0]!)
    await vi.waitFor(() => expect(thread().loaded).toBe(true))
    expect(thread().unreadMark).toEqual({ id: msg(48).id, count: 3 })
    expect(thread().anchor).toEqual({ id: msg(48).id, kind: 'unread' })
    expect(calls()).toEqual([{ conversationId: 'dm:bob', limit: PAGE_SIZE }])
  })

  it('a first unread further back than the newest page: the page around it is held instead', async () => {
    useConversationsStore(pinia).upsert(summary(200))
    fake.api.messages.page
      .mockResolvedValueOnce(page(range(251, 300), { hasMore: true, firstUnread: { ts: 1010, id: msg(101).id } }))
      .mockResolvedValueOnce(page(range(51, 151), { hasMore: true, hasNewer: true, firstUnread: { ts: 1010, id: msg(101).id } }))
    use(ConversationsActionsKey).select('dm:bob')
    await vi.waitFor(() => expect(thread().unreadMark).toEqual({ id: msg(101).id, count: 200 }))
    expect(calls()[1]).toEqual({ conversationId: 'dm:bob', around: msg(101).id, limit: PAGE_SIZE })
    expect(thread().messages[0]!.id).toBe(msg(51).id)
    expect(thread()).toMatchObject({ hasNewer: true, anchor: { id: msg(101).id, kind: 'unread' } })
  })

  it('opening a conversation with nothing new reads its newest page, without a divider', async () => {
    useConversationsStore(pinia).upsert(summary(0))
    fake.api.messages.page.mockResolvedValueOnce(page(range(1, 5)))
    use(ConversationsActionsKey).select('dm:bob')
    await vi.waitFor(() => expect(thread().loaded).toBe(true))
    expect(thread()).toMatchObject({ unreadMark: null, anchor: null, hasNewer: false })
  })

  it('openAt holds the page around the message, selects the conversation and anchors the jump', async () => {
    useConversationsStore(pinia).upsert(summary(0))
    fake.api.messages.page.mockResolvedValueOnce(page(range(40, 60), { hasMore: true, hasNewer: true }))
    await use(MessagesActionsKey).openAt('dm:bob', msg(50).id)
    expect(calls()).toEqual([{ conversationId: 'dm:bob', around: msg(50).id, limit: PAGE_SIZE }])
    expect(useConversationsStore(pinia).selectedId).toBe('dm:bob')
    expect(thread()).toMatchObject({ hasNewer: true, anchor: { id: msg(50).id, kind: 'jump' } })
    // Held already: a second jump reads nothing.
    useMessagesStore(pinia).setAnchor('dm:bob', null)
    await use(MessagesActionsKey).openAt('dm:bob', msg(45).id)
    expect(calls()).toHaveLength(1)
    expect(thread().anchor).toEqual({ id: msg(45).id, kind: 'jump' })
    // Scrolling down reads the page after the last message held.
    fake.api.messages.page.mockResolvedValueOnce(page(range(61, 70), { hasMore: true }))
    await use(MessagesActionsKey).loadNewer('dm:bob')
    expect(calls()[1]).toEqual({ conversationId: 'dm:bob', after: { ts: 600, id: msg(60).id }, limit: PAGE_SIZE })
    expect(thread()).toMatchObject({ hasNewer: false })
  })

  it('a jump into a conversation from elsewhere does not show the "new messages" divider of an earlier visit', async () => {
    useConversationsStore(pinia).upsert(summary(3))
    fake.api.messages.page.mockResolvedValueOnce(page(range(1, 50), { hasMore: true, firstUnread: { ts: 480, id: msg(48).id } }))
    use(ConversationsActionsKey).select('dm:bob')
    await vi.waitFor(() => expect(thread().unreadMark).toEqual({ id: msg(48).id, count: 3 }))
    use(ConversationsActionsKey).select(null)
    await use(MessagesActionsKey).openAt('dm:bob', msg(20).id)
    expect(useConversationsStore(pinia).selectedId).toBe('dm:bob')
    expect(thread()).toMatchObject({ unreadMark: null, anchor: { id: msg(20).id, kind: 'jump' } })
  })

  it('openAt rejects for a message that is not there, with the thread left as it was', async () => {
    fake.api.messages.page.mockRejectedValueOnce(Object.assign(new Error('That message is not in this conversation.'), { code: 'not-found' }))
    await expect(use(MessagesActionsKey).openAt('dm:bob', 'nope')).rejects.toThrow(/not in this conversation/)
    expect(useConversationsStore(pinia).selectedId).toBeNull()
    expect(thread()).toMatchObject({ anchor: null, error: null, loading: false })
  })

  it('sending from a window in the middle goes to the newest first, so the message shows', async () => {
    fake.api.messages.page.mockResolvedValueOnce(page(range(40, 60), { hasMore: true, hasNewer: true }))
    await use(MessagesActionsKey).openAt('dm:bob', msg(50).id)
    const mine = msg(1000, { sender: 'alice', direction: 'out', status: 'pending' })
    fake.api.messages.send.mockResolvedValueOnce(mine)
    fake.api.messages.page.mockResolvedValueOnce(page(range(951, 999), { hasMore: true }))
    await use(MessagesActionsKey).send('dm:bob', 'hi')
    expect(thread().messages.at(-1)!.id).toBe(mine.id)
    expect(thread().messages[0]!.id).toBe(msg(951).id)
    expect(thread().hasNewer).toBe(false)
  })

  it('a jump that answers after a later jump was made is dropped: the view stays at the later one', async () => {
    let answer: (p: MessagePage) => void = () => {}
    fake.api.messages.page.mockImplementationOnce(() => new Promise((resolve) => (answer = resolve)))
    const first = use(MessagesActionsKey).openAt('dm:bob', msg(50).id)
    fake.api.messages.page.mockResolvedValueOnce(page(range(490, 510), { hasMore: true, hasNewer: true }))
    await use(MessagesActionsKey).openAt('dm:bob', msg(500).id)
    answer(page(range(40, 60), { hasMore: true, hasNewer: true }))
    await first
    expect(thread().messages.map((m) => m.id)).toEqual(range(490, 510).map((m) => m.id))
    expect(thread()).toMatchObject({ anchor: { id: msg(500).id, kind: 'jump' }, loading: false })
  })

  it('an older page that answers after a jump replaced the window is dropped, not merged into it', async () => {
    const s = useMessagesStore(pinia)
    s.addPage('dm:bob', page(range(451, 500), { hasMore: true }), false)
    let answer: (p: MessagePage) => void = () => {}
    fake.api.messages.page.mockImplementationOnce(() => new Promise((resolve) => (answer = resolve)))
    const older = use(MessagesActionsKey).loadOlder('dm:bob')
    fake.api.messages.page.mockResolvedValueOnce(page(range(40, 60), { hasMore: true, hasNewer: true }))
    await use(MessagesActionsKey).openAt('dm:bob', msg(50).id)
    answer(page(range(401, 450), { hasMore: true }))
    await older
    expect(thread().messages.map((m) => m.id)).toEqual(range(40, 60).map((m) => m.id))
    expect(thread()).toMatchObject({ hasMore: true, hasNewer: true, loading: false })
  })

})
