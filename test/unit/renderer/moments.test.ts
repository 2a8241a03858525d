/**
 * The moments feature over a fake API: the feed's pages merged newest first without
 * duplicates or holes, posts that arrive while a page loads, the "new posts" badge,
 * following, and the quiet notice when someone stops sharing.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createPinia, setActivePinia, type Pinia } from 'pinia'
import type { Moment, MomentsPage, ParleyApi } from '../../../src/shared/contract'
import { defineFeature } from '../../../src/renderer/src/features/feature'
import { setupAccount } from '../../../src/renderer/src/features/account/io'
import { MomentsActionsKey, PAGE_SIZE, setupMoments, type MomentsActions } from '../../../src/renderer/src/features/moments/io'
import { mergeMoments, useMomentsStore } from '../../../src/renderer/src/features/moments/store'
import { formatAgo } from '../../../src/renderer/src/ui/time'
import { CONFIGURED, fakeApi, fakePage } from './fake-api'
import { installOver } from './install-features'

vi.mock('../../../src/renderer/src/features/account/index.ts', async () => ({
  ...(await import('../../../src/renderer/src/features/account/io')),
  ...(await import('../../../src/renderer/src/features/account/store')),
}))

const moment = (id: string, ts: number, over: Partial<Moment> = {}): Moment => ({
  id,
  author: 'bob',
  text: `post ${id}`,
  ts,
  mine: false,
  status: 'received',
  ...over,
})
const page = (ids: [string, number][], hasMore: boolean): MomentsPage => ({ moments: ids.map(([id, ts]) => moment(id, ts)), hasMore })

describe('moments store', () => {
  beforeEach(() => setActivePinia(createPinia()))

  it('merges pages newest first, one entry per id, the later copy winning', () => {
    const merged = mergeMoments([moment('b', 20), moment('a', 10)], [moment('c', 30), moment('b', 20, { text: 'edited' }), moment('x', 20)])
    expect(merged.map((m) => m.id)).toEqual(['c', 'x', 'b', 'a'])
    expect(merged.find((m) => m.id === 'b')!.text).toBe('edited')
  })

  it('pages older posts after the oldest shown; hasMore follows the last page', () => {
    const s = useMomentsStore()
    s.setNewest(page([['m5', 50], ['m4', 40]], true))
    expect(s.cursor).toEqual({ ts: 40, id: 'm4' })
    expect(s.hasMore).toBe(true)
    s.addOlder(page([['m4', 40], ['m3', 30]], false))
    expect(s.items.map((m) => m.id)).toEqual(['m5', 'm4', 'm3'])
    expect(s.hasMore).toBe(false)
    expect(s.cursor).toEqual({ ts: 30, id: 'm3' })
  })

  it('a newest page that reaches what is shown keeps the older pages; one that leaves a hole replaces them', () => {
    const s = useMomentsStore()
    s.setNewest(page([['m5', 50], ['m4', 40]], true))
    s.addOlder(page([['m3', 30], ['m2', 20]], true))
    // After a reconnect: two new posts, and the page reaches back to m5.
    s.setNewest(page([['m7', 70], ['m6', 60], ['m5', 50]], true))
    expect(s.items.map((m) => m.id)).toEqual(['m7', 'm6', 'm5', 'm4', 'm3', 'm2'])
    expect(s.hasMore).toBe(true)
    // More was posted than a page holds: what is shown would have a hole, so it starts over.
    s.setNewest(page([['m20', 200], ['m19', 190]], true))
    expect(s.items.map((m) => m.id)).toEqual(['m20', 'm19'])
    expect(s.cursor).toEqual({ ts: 190, id: 'm19' })
    // A page without more is the whole feed.
    s.setNewest(page([['m20', 200]], false))
    expect(s.items.map((m) => m.id)).toEqual(['m20'])
    expect(s.hasMore).toBe(false)
  })

  it('counts others\' posts newer than what was seen', () => {
    const s = useMomentsStore()
    s.setNewest(page([['m2', 20], ['m1', 10]], false))
    expect(s.unseen).toBe(2)
    s.markAllSeen()
    expect(s.unseen).toBe(0)
    s.add(moment('m3', 30))
    s.add(moment('mine', 40, { mine: true, author: 'alice' }))
    expect(s.unseen).toBe(1)
    // Seen never moves backwards.
    s.setSeenUpTo(5)
    expect(s.seenUpTo).toBe(20)
  })
})

describe('formatAgo', () => {
  it('reads as people say it', () => {
    const now = new Date(2025, 4, 15, 12, 0).getTime()
    expect(formatAgo(now - 10_000, now)).toBe('just now')
    expect(formatAgo(now + 60_000, now)).toBe('just now')
    expect(formatAgo(now - 5 * 60_000, now)).toBe('5 min ago')
    expect(formatAgo(now - 3 * 3600_000, now)).toBe('3 h ago')
    expect(formatAgo(new Date(2025, 4, 14, 18, 0).getTime(), now)).toBe('yesterday')
    expect(formatAgo(new Date(2025, 4, 12, 9, 0).getTime(), now)).toMatch(/^\p{L}+$/u)
    expect(formatAgo(new Date(2024, 0, 3).getTime(), now)).toMatch(/2024/)
  })
})

function fakeWithMoments() {
  const fake = fakeApi()
  type Api = ParleyApi['moments']
  const moments = {
    post: vi.fn<Api['post']>(async (text) => moment('new', Date.now(), { text, mine: true, author: 'alice', status: 'pending' })),
    feed: vi.fn<Api['feed']>(async () => ({ moments: [], hasMore: false, hasNewer: false, firstUnread: null })),
    following: vi.fn<Api['following']>(async () => ['bob', 'carol']),
    follow: vi.fn<Api['follow']>(async (user, on) => (on ? ['bob', 'carol', user] : ['bob', 'carol'].filter((u) => u !== user))),
  }
  Object.assign(fake.api, { moments })
  return { ...fake, moments }
}

describe('moments feature over a fake API', () => {
  let fake: ReturnType<typeof fakeWithMoments>
  let pinia: Pinia
  let actions: MomentsActions
  let stop: () => void
  let storage: Map<string, string>
  const store = () => useMomentsStore(pinia)

  async function install(): Promise<void> {
    const installed = installOver(fake.parley, [
      defineFeature({ name: 'account', setup: setupAccount }),
      defineFeature({ name: 'moments', dependsOn: ['account'], setup: setupMoments }),
    ])
    pinia = installed.pinia
    stop = installed.stop
    actions = installed.use(MomentsActionsKey)
    await installed.start()
  }

  beforeEach(async () => {
    fakePage()
    // This account opened the feed here before (up to a post older than all of these).
    storage = new Map([['parley.moments.seenUpTo.alice', '1']])
    vi.stubGlobal('localStorage', {
      getItem: (k: string) => storage.get(k) ?? null,
      setItem: (k: string, v: string) => void storage.set(k, v),
    })
    fake = fakeWithMoments()
    fake.moments.feed.mockImplementation(async ({ before }) =>
      before ? page([['m1', 10]], false) : page([['m3', 30], ['m2', 20]], true),
    )
    await install()
    await vi.waitFor(() => expect(store().loaded).toBe(true))
  })

  afterEach(() => {
    stop()
    vi.unstubAllGlobals()
  })

  it('reads the newest page and whom I follow once signed in, then older pages by cursor', async () => {
    expect(fake.moments.feed).toHaveBeenCalledWith({ limit: PAGE_SIZE })
    await vi.waitFor(() => expect(store().following).toEqual(['bob', 'carol']))
    await Promise.all([actions.loadMore(), actions.loadMore()])
    // One request however often the end of the list is reached.
    expect(fake.moments.feed).toHaveBeenCalledTimes(2)
    expect(fake.moments.feed).toHaveBeenLastCalledWith({ before: { ts: 20, id: 'm2' }, limit: PAGE_SIZE })
    expect(store().items.map((m) => m.id)).toEqual(['m3', 'm2', 'm1'])
    await actions.loadMore()
    expect(fake.moments.feed).toHaveBeenCalledTimes(2)
  })

  it('a failed page keeps what is shown and says why', async () => {
    fake.moments.feed.mockRejectedValueOnce(new Error('Parley is offline.'))
    await expect(actions.loadMore()).rejects.toThrow()
    expect(store().error).toBe('Parley is offline.')
    expect(store().items.map((m) => m.id)).toEqual(['m3', 'm2'])
    await actions.loadMore()
    expect(store().error).toBeNull()
    expect(store().items.map((m) => m.id)).toEqual(['m3', 'm2', 'm1'])
  })

  it('a post that arrives while the newest page loads is not lost; a status change replaces the post', async () => {
    let answer!: (p: MomentsPage) => void
    fake.moments.feed.mockReturnValueOnce(new Promise((resolve) => (answer = resolve)))
    const reloading = actions.reload()
    fake.emit('moment', moment('live', 99))
    answer(page([['m9', 90]], false))
    await reloading
    expect(store().items.map((m) => m.id)).toEqual(['live', 'm9'])

    const mine = await actions.post('hello followers')
    expect(fake.moments.post).toHaveBeenCalledWith('hello followers')
    expect(store().items.find((m) => m.id === mine.id)?.status).toBe('pending')
    fake.emit('moment', { ...mine, status: 'sent' })
    expect(store().items.filter((m) => m.id === mine.id).map((m) => m.status)).toEqual(['sent'])
  })

  it('the badge counts new posts until the panel is open, and remembers across restarts', async () => {
    expect(store().unseen).toBe(2)
    actions.markSeen(true)
    expect(store().unseen).toBe(0)
    fake.emit('moment', moment('m4', 40))
    expect(store().unseen).toBe(0)
    actions.markSeen(false)
    fake.emit('moment', moment('m5', 50))
    expect(store().unseen).toBe(1)
    expect(storage.get('parley.moments.seenUpTo.alice')).toBe('40')

    stop()
    await install()
    await vi.waitFor(() => expect(store().loaded).toBe(true))
    expect(store().seenUpTo).toBe(40)
    expect(store().unseen).toBe(0)
  })

  it('on the first run of an account, what the feed already holds is not "new"; what arrives after is', async () => {
    stop()
    storage.clear()
    await install()
    await vi.waitFor(() => expect(store().loaded).toBe(true))
    expect(store().unseen).toBe(0)
    expect(storage.get('parley.moments.seenUpTo.alice')).toBe('30')
    fake.emit('moment', moment('m4', 40))
    expect(store().unseen).toBe(1)
  })

  it('follows and unfollows; someone who stops sharing is told quietly when they asked for it', async () => {
    await vi.waitFor(() => expect(store().following).toEqual(['bob', 'carol']))
    await actions.follow('dave', true)
    expect(store().following).toEqual(['bob', 'carol', 'dave'])
    store().add(moment('mine', 5, { author: 'alice', mine: true }))
    await actions.follow('bob', false)
    expect(fake.moments.follow).toHaveBeenLastCalledWith('bob', false)
    expect(store().following).toEqual(['carol'])
    expect(store().unfollowed).toEqual(['bob'])
    // Their posts leave the feed (as they leave the engine's); mine stay.
    expect(store().items.map((m) => m.id)).toEqual(['mine'])

    fake.emit('unfollowedBy', { user: 'carol', notify: false })
    expect(store().following).toEqual([])
    expect(store().notices).toEqual([])
    fake.emit('unfollowedBy', { user: 'erin', notify: true })
    fake.emit('unfollowedBy', { user: 'erin', notify: true })
    expect(store().notices.map((n) => n.user)).toEqual(['erin'])
    store().dismissNotice(store().notices[0]!.id)
    expect(store().notices).toEqual([])
  })

  it('reads the feed again after a reconnect, keeping older pages that it reaches', async () => {
    await actions.loadMore()
    fake.moments.feed.mockResolvedValueOnce(page([['m4', 40], ['m3', 30]], true))
    fake.emit('connection', { ...CONFIGURED.connection, state: 'reconnecting' })
    fake.emit('connection', CONFIGURED.connection)
    await vi.waitFor(() => expect(store().items.map((m) => m.id)).toEqual(['m4', 'm3', 'm2', 'm1']))
    expect(store().hasMore).toBe(false)
  })
})
