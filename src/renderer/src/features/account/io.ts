/** The account feature's I/O: reads the account state, runs set-up, follows the connection. */
import { inject, type InjectionKey } from 'vue'
import type { AccountSetup, ConnectionState, Unsubscribe } from '../../../../shared/contract'
import { warn } from '../../ui/errors'
import type { FeatureContext } from '../feature'
import { useAccountStore } from './store'

export interface AccountActions {
  setup(input: AccountSetup): Promise<void>
  /** Skip the back-off wait and try the broker now. */
  reconnect(): Promise<void>
  /**
   * `fn` runs whenever the account is (or becomes) configured: at start (awaited, so
   * a failure there is shown as a boot error), after set-up, or when the engine says so.
   */
  onSignedIn(fn: () => Promise<void> | void): Unsubscribe
  /** `fn` runs when the connection comes back after a drop: time to catch up on what was missed. */
  onReconnected(fn: () => void): Unsubscribe
}

export const AccountActionsKey: InjectionKey<AccountActions> = Symbol('parley-account')

export function useAccountActions(): AccountActions {
  const actions = inject(AccountActionsKey)
  if (!actions) throw new Error('The account feature is not installed.')
  return actions
}

function listeners<F>() {
  const set = new Set<F>()
  return {
    add(fn: F): Unsubscribe {
      set.add(fn)
      return () => set.delete(fn)
    },
    all: () => [...set],
  }
}

export function setupAccount(ctx: FeatureContext): { start(): Promise<void> } {
  const { api } = ctx
  const store = useAccountStore(ctx.pinia)
  const signedIn = listeners<() => Promise<void> | void>()
  const reconnected = listeners<() => void>()
  let lastState: ConnectionState | null = null

  const runSignedIn = () => Promise.all(signedIn.all().map((fn) => fn())).then(() => undefined)

  ctx.onStop(
    api.on('connection', (status) => {
      store.setConnection(status)
      const back = status.state === 'connected' && lastState !== null && lastState !== 'connected'
      lastState = status.state
      if (back && store.configured) for (const fn of reconnected.all()) fn()
    }),
  )
  ctx.onStop(
    api.on('account', (state) => {
      const wasConfigured = store.configured
      store.setState(state)
      if (state.configured && !wasConfigured) runSignedIn().catch(warn('loading after sign-in'))
    }),
  )

  ctx.provide(AccountActionsKey, {
    async setup(input) {
      const wasConfigured = store.configured
      const state = await api.account.setup(input)
      store.setState(state)
      // A change of user or broker starts afresh too.
      if (state.configured) await runSignedIn().catch(warn(wasConfigured ? 'reloading after set-up' : 'loading after set-up'))
    },
    reconnect: () => api.account.reconnect(),
    onSignedIn: signedIn.add,
    onReconnected: reconnected.add,
  })

  return {
    async start() {
      const state = await api.account.getState()
      store.setState(state)
      lastState = state.connection.state
      if (state.configured) await runSignedIn()
    },
  }
}
