/** The moments feature's I/O: the feed and its pages, posting, following, and what was seen. */
import { inject, type InjectionKey } from 'vue'
import type { Moment } from '../../../../shared/contract'
import { errorMessage, warn } from '../../ui/errors'
import { AccountActionsKey, useAccountStore } from '../account'
import type { FeatureContext } from '../feature'
import { useMomentsStore } from './store'

export interface MomentsActions {
  post(text: string): Promise<Moment>
  /** The next older page, if there is one and none is loading. */
  loadMore(): Promise<void>
  /** The newest page again (after a failure, or a reconnect). */
  reload(): Promise<void>
  follow(user: string, on: boolean): Promise<void>
  /** The panel is open: what it shows counts as seen (until `markSeen(false)`). */
  markSeen(open: boolean): void
}

export const MomentsActionsKey: InjectionKey<MomentsActions> = Symbol('parley-moments')

export function useMomentsActions(): MomentsActions {
  const actions = inject(MomentsActionsKey)
  if (!actions) throw new Error('The moments feature is not installed.')
  return actions
}

export const PAGE_SIZE = 30

/** Where "seen up to" is kept between runs, per account (a preference of this window, not of the engine). */
const seenKey = (user: string) => `parley.moments.seenUpTo.${user}`

/** The stored "seen up to" of `user`, or null when this account never opened the feed here. */
function readSeen(user: string): number | null {
  try {
    const n = Number(globalThis.localStorage?.getItem(seenKey(user)))
    return Number.isFinite(n) && n > 0 ? n : null
  } catch {
    return null
  }
}

function writeSeen(user: string, ts: number): void {
  try {
    globalThis.localStorage?.setItem(seenKey(user), String(ts))
  } catch {
    // Storage may be off: the badge then counts from this run only.
  }
}

export function setupMoments(ctx: FeatureContext): void {
  const { api } = ctx
  const store = useMomentsStore(ctx.pinia)
  const accountStore = useAccountStore(ctx.pinia)
  const account = ctx.inject(AccountActionsKey)

  let signedInAs: string | null = null
  let panelOpen = false
  /** Posts that arrived while the newest page was on its way: applied on top of it. */
  let arrivedDuringLoad: Moment[] | null = null
  /** Bumped when another account signs in: answers for the previous one are dropped. */
  let epoch = 0
  /** Nothing stored yet (first run of this account here): the first feed read counts as seen, so the badge shows what comes next, not the whole history. */
  let firstRun = false

  function seen(): void {
    store.markAllSeen()
    if (signedInAs) writeSeen(signedInAs, store.seenUpTo)
  }

  async function reload(): Promise<void> {
    const at = epoch
    store.setLoading('first')
    arrivedDuringLoad = []
    try {
      const page = await api.moments.feed({ limit: PAGE_SIZE })
      if (at !== epoch) return
      store.setNewest(page)
      if (firstRun) {
        firstRun = false
        seen()
      }
      for (const m of arrivedDuringLoad ?? []) store.add(m)
      store.setLoading(null)
      if (panelOpen) seen()
    } catch (err) {
      if (at === epoch) store.setLoading(null, errorMessage(err))
      throw err
    } finally {
      if (at === epoch) arrivedDuringLoad = null
    }
  }

  async function loadMore(): Promise<void> {
    if (store.loading || !store.hasMore || !store.cursor) return
    const at = epoch
    store.setLoading('more')
    try {
      const page = await api.moments.feed({ before: store.cursor, limit: PAGE_SIZE })
      if (at !== epoch) return
      store.addOlder(page)
      store.setLoading(null)
    } catch (err) {
      if (at === epoch) store.setLoading(null, errorMessage(err))
      throw err
    }
  }

  async function loadFollowing(): Promise<void> {
    const at = epoch
    const users = await api.moments.following()
    if (at === epoch) store.setFollowing(users)
  }

  function loadAll(): void {
    reload().catch(warn('reading the moments feed'))
    loadFollowing().catch(warn('reading whom I follow'))
  }

  ctx.onStop(
    api.on('moment', (m) => {
      if (arrivedDuringLoad) arrivedDuringLoad.push(m)
      store.add(m)
      if (panelOpen) seen()
    }),
  )
  ctx.onStop(
    api.on('unfollowedBy', ({ user, notify }) => {
      if (store.following?.includes(user)) store.setFollowing(store.following.filter((u) => u !== user))
      // The engine's feed no longer holds them either.
      store.removeAuthor(user)
      if (notify) store.notice(user)
    }),
  )
  ctx.onStop(
    account.onSignedIn(() => {
      if (signedInAs !== accountStore.user) {
        epoch++
        store.clear()
        signedInAs = accountStore.user
        const stored = signedInAs ? readSeen(signedInAs) : null
        firstRun = stored === null
        if (stored !== null) store.setSeenUpTo(stored)
      }
      loadAll()
    }),
  )
  ctx.onStop(account.onReconnected(loadAll))

  ctx.provide(MomentsActionsKey, {
    async post(text) {
      const m = await api.moments.post(text)
      store.add(m)
      if (panelOpen) seen()
      return m
    },
    loadMore,
    reload,
    async follow(user, on) {
      const users = await api.moments.follow(user, on)
      store.setFollowing(users)
      if (on) {
        // What they posted earlier (and I kept) is back in the engine's feed.
        reload().catch(warn('reading the moments feed'))
      } else {
        store.noteUnfollowed(user)
        store.removeAuthor(user)
      }
    },
    markSeen(open) {
      panelOpen = open
      if (open) seen()
    },
  })
}
