/** The blocking feature's I/O: the list of blocked people, blocking (after asking how) and unblocking. */
import { inject, type InjectionKey } from 'vue'
import { errorMessage, warn } from '../../ui/errors'
import { AccountActionsKey } from '../account'
import type { FeatureContext } from '../feature'
import { useBlockingStore } from './store'

export interface BlockingActions {
  /** Opens the "Block …?" dialog for `user`; resolves true once they are blocked, false if the person thought better of it. */
  askToBlock(user: string): Promise<boolean>
  /** The dialog's answer: blocks the user it asked about (rejects with a sentence to show; the dialog stays open). */
  confirm(notify: boolean): Promise<void>
  /** The dialog was closed without blocking. */
  dismiss(): void
  unblock(user: string): Promise<void>
  /** Reads the list again (the settings section's "Try again"). */
  reload(): Promise<void>
}

export const BlockingActionsKey: InjectionKey<BlockingActions> = Symbol('parley-blocking')

export function useBlockingActions(): BlockingActions {
  const actions = inject(BlockingActionsKey)
  if (!actions) throw new Error('The blocking feature is not installed.')
  return actions
}

/** How long a burst of `blocked` events is gathered before the list is read again. */
const RELOAD_AFTER_EVENTS_MS = 150

export function setupBlocking(ctx: FeatureContext): void {
  const { api } = ctx
  const store = useBlockingStore(ctx.pinia)
  const account = ctx.inject(AccountActionsKey)
  /** Settles the open dialog's askToBlock. */
  let answer: ((blocked: boolean) => void) | null = null
  let reloadTimer: ReturnType<typeof setTimeout> | undefined

  async function load(): Promise<void> {
    try {
      store.replaceAll(await api.blocking.list())
    } catch (err) {
      // Not fatal: the rest of Parley works; the settings section says why the list is missing.
      store.failed(errorMessage(err))
      warn('reading the blocked people')(err)
    }
  }

  function settle(blocked: boolean): void {
    const done = answer
    answer = null
    store.ask(null)
    done?.(blocked)
  }

  ctx.onStop(account.onSignedIn(load))
  ctx.onStop(account.onReconnected(() => void load()))
  ctx.onStop(
    api.on('blocked', ({ user, blocked }) => {
      if (!blocked) store.drop(user)
      else if (!store.isBlocked(user)) {
        // Blocked on another device: shown at once, with its real date after a re-read.
        store.set({ user, since: Date.now(), notified: false })
        clearTimeout(reloadTimer)
        reloadTimer = setTimeout(() => void load(), RELOAD_AFTER_EVENTS_MS)
      }
    }),
  )
  ctx.onStop(() => {
    clearTimeout(reloadTimer)
    settle(false)
  })

  ctx.provide(BlockingActionsKey, {
    askToBlock(user) {
      settle(false)
      store.ask(user)
      return new Promise<boolean>((resolve) => (answer = resolve))
    },
    async confirm(notify) {
      const user = store.asking
      if (user === null) return
      store.set(await api.blocking.block(user, { notify }))
      if (store.asking === user) settle(true)
    },
    dismiss: () => settle(false),
    async unblock(user) {
      await api.blocking.unblock(user)
      store.drop(user)
    },
    reload: load,
  })
}
