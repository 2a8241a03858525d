/** The account feature's I/O: reads the account state, runs set-up and sign-out, follows the connection. */
import { inject, type InjectionKey } from 'vue'
import type {
  AccountSetup,
  BrokerChange,
  BrokerTestResult,
  ConnectionState,
  DataDirSwitch,
  SignOutOptions,
  Unsubscribe,
} from '../../../../shared/contract'
import { warn } from '../../ui/errors'
import type { FeatureContext } from '../feature'
import { useAccountStore } from './store'

export interface AccountActions {
  /** Set-up, or a change of broker (`change.keepSecrets`: an empty password keeps the stored one). */
  setup(input: AccountSetup, change?: BrokerChange): Promise<void>
  /** Skip the back-off wait and try the broker now. */
  reconnect(): Promise<void>
  /** Tries a broker with a throwaway connection; changes nothing. */
  testBroker(broker: AccountSetup['broker'], change?: BrokerChange): Promise<BrokerTestResult>
  /** Signs out; the page then starts afresh on the set-up screen. */
  signOut(options: SignOutOptions): Promise<void>
  dataDirSwitch(): Promise<DataDirSwitch>
  /** Desktop: asks for a folder and restarts Parley on it; false when cancelled. */
  relaunchWithDataDir(): Promise<boolean>
  /** Shows where the broker is changed (the settings screen registers itself with `onChangeBroker`). */
  changeBroker(): void
  canChangeBroker(): boolean
  onChangeBroker(fn: () => void): Unsubscribe
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
  const brokerChangers = listeners<() => void>()
  let lastState: ConnectionState | null = null

  const runSignedIn = () => Promise.all(signedIn.all().map((fn) => fn())).then(() => undefined)

  /**
   * Signed out (here or in another window): every feature's store still holds the
   * account that left. Reloading the page starts them all empty, on the set-up
   * screen, instead of teaching each feature to forget.
   */
  let reloading = false
  const signedOut = (): void => {
    if (reloading) return
    reloading = true
    // (A page stubbed by a unit test has no location: the store alone shows the set-up screen there.)
    const page: { location?: Pick<Location, 'reload'> } = window
    page.location?.reload()
  }

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
      if (wasConfigured && !state.configured) return signedOut()
      if (state.configured && !wasConfigured) runSignedIn().catch(warn('loading after sign-in'))
    }),
  )

  ctx.provide(AccountActionsKey, {
    async setup(input, change) {
      const wasConfigured = store.configured
      const state = await (change ? api.account.setup(input, change) : api.account.setup(input))
      store.setState(state)
      // A change of user or broker starts afresh too.
      if (state.configured) await runSignedIn().catch(warn(wasConfigured ? 'reloading after set-up' : 'loading after set-up'))
    },
    reconnect: () => api.account.reconnect(),
    testBroker: (broker, change) => (change ? api.account.testBroker(broker, change) : api.account.testBroker(broker)),
    async signOut(options) {
      store.setState(await api.account.signOut(options))
      signedOut()
    },
    dataDirSwitch: () => api.account.dataDirSwitch(),
    relaunchWithDataDir: () => api.account.relaunchWithDataDir(),
    changeBroker: () => brokerChangers.all().at(-1)?.(),
    canChangeBroker: () => brokerChangers.all().length > 0,
    onChangeBroker: brokerChangers.add,
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
