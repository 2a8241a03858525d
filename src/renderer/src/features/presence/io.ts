/** The presence feature's I/O: other people's presence as rows and chats show them, my mode, and idleness. */
import { inject, type InjectionKey } from 'vue'
import { DEFAULT_AWAY_AFTER_MINUTES, type PresenceMode, type PresenceSettings } from '../../../../shared/contract'
import { warn } from '../../ui/errors'
import { AccountActionsKey } from '../account'
import type { FeatureContext } from '../feature'
import { presenceLine } from './format'
import { watchIdle } from './idle'
import { usePresenceStore } from './store'

export interface PresenceActions {
  /** `user` is on screen: read their presence once (events keep it current after that). */
  watch(user: string): void
  setMode(mode: PresenceMode): Promise<void>
  /** Changes away-after minutes or appear offline; the idle watcher follows at once. */
  setSettings(patch: Partial<PresenceSettings>): Promise<void>
}

export const PresenceActionsKey: InjectionKey<PresenceActions> = Symbol('parley-presence')

export function usePresenceActions(): PresenceActions {
  const actions = inject(PresenceActionsKey)
  if (!actions) throw new Error('The presence feature is not installed.')
  return actions
}

export function setupPresence(ctx: FeatureContext): void {
  const { api } = ctx
  const store = usePresenceStore(ctx.pinia)
  const account = ctx.inject(AccountActionsKey)

  /** Users on screen, and how many events have arrived for each (an answer older than an event loses). */
  const watched = new Map<string, number>()
  const inFlight = new Set<string>()
  let stopIdle: (() => void) | null = null
  /** The idle time the running watcher uses, and what was last reported. */
  let idleAfterMs: number | null = null
  let reportedIdle = false

  function fetch(user: string): void {
    if (inFlight.has(user)) return
    inFlight.add(user)
    const seen = watched.get(user) ?? 0
    api.presence
      .get(user)
      .then((p) => {
        if ((watched.get(user) ?? 0) === seen) store.set(p)
      })
      .catch(warn(`reading the presence of ${user}`))
      .finally(() => inFlight.delete(user))
  }

  function loadMine(): void {
    api.presence.mine().then(store.setMine, warn('reading my presence'))
  }

  function reportIdle(idle: boolean): void {
    reportedIdle = idle
    api.presence.reportIdle(idle).then(loadMine, warn('reporting idleness'))
  }

  /** (Re)starts the idle watcher when the wanted idle time is not the one it runs with. */
  function watchIdleness(): void {
    const wanted = (store.settings?.awayAfterMinutes ?? DEFAULT_AWAY_AFTER_MINUTES) * 60_000
    if (stopIdle && idleAfterMs === wanted) return
    stopIdle?.()
    idleAfterMs = wanted
    // A new watcher starts out "active": if the old one had said idle, say so first (the person is changing settings anyway).
    if (reportedIdle) reportIdle(false)
    stopIdle = watchIdle(reportIdle, wanted)
  }

  function applySettings(s: PresenceSettings): void {
    store.setSettings(s)
    watchIdleness()
  }

  ctx.onStop(
    api.on('presence', (p) => {
      if (watched.has(p.user)) watched.set(p.user, watched.get(p.user)! + 1)
      store.set(p)
    }),
  )
  ctx.onStop(
    account.onSignedIn(() => {
      loadMine()
      watchIdleness()
      api.presence.settings().then(applySettings, warn('reading my presence settings'))
    }),
  )
  // While the connection was down, events were missed: read everyone on screen again.
  ctx.onStop(
    account.onReconnected(() => {
      loadMine()
      for (const user of watched.keys()) fetch(user)
    }),
  )
  ctx.onStop(() => stopIdle?.())

  ctx.extensions.add('conversation.status', {
    priority: 10,
    text: ({ conversation, now }) => (conversation.kind === 'dm' ? presenceLine(store.byUser[conversation.peer], now) : null),
  })

  ctx.provide(PresenceActionsKey, {
    watch(user) {
      if (watched.has(user)) return
      watched.set(user, 0)
      fetch(user)
    },
    async setMode(mode) {
      store.setMine(await api.presence.setMode(mode))
    },
    async setSettings(patch) {
      applySettings(await api.presence.setSettings(patch))
      // Appearing offline (or back) changes what others see.
      if (patch.appearOffline !== undefined) store.setMine(await api.presence.mine())
    },
  })
}
