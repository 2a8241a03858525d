import type Database from 'better-sqlite3'
import type { AccountState, BrokerChange, BrokerTestResult, ConnectionStatus, ParleyEvents, SignOutOptions } from '../../../shared/contract'
import { AccountSetupSchema, BrokerSettingsSchema, type AccountSetup, type Settings } from '../../../shared/schemas'
import { ParleyError } from '../../../shared/rpc'
import { clientId } from '../../../shared/protocol/topics'
import { Publisher } from '../mqtt/publisher'
import { Codec, PLAINTEXT } from '../protocol/codec'
import { TopicRouter, type Route } from '../mqtt/router'
import { MqttSession, type SessionConfig } from '../mqtt/session'
import { WalCheckpointer } from '../store/wal-checkpointer'
import { AccountRecord } from './account-record'
import { BrokerHost } from './broker-host'
import { testBroker } from './broker-test'
import { EventBus } from './event-bus'
import { LegacyDrainer } from './legacy-session'
import type { Account, CoreTuning, Feature, FeatureContext, FeatureInstance, Will } from './feature'
import type { Logger } from './log'
import { Prefs } from './prefs'
import { publicBroker } from './public-broker'

const IDLE: ConnectionStatus = { state: 'idle', broker: null, detail: 'Not set up yet.', protocolVersion: null, retryInMs: null }

export interface KernelOptions {
  dataDir: string
  db: Database.Database
  settings: Settings | null
  problems: string[]
  log: Logger
  sessionExpirySeconds: number
  tuning: CoreTuning
}

interface Registered {
  feature: Feature
  instance: FeatureInstance
}

/**
 * What every feature stands on: the data directory's database and settings, the
 * one MQTT session (with its topic router and publisher), the event bus and the
 * lifecycle (set-up, reconnect, close). It knows no feature by name.
 */
export class Kernel {
  readonly events = new EventBus<ParleyEvents>()
  readonly router: TopicRouter
  readonly publisher: Publisher
  readonly prefs: Prefs
  readonly codec = new Codec(PLAINTEXT)
  private readonly features = new Map<string, Registered>()
  private readonly record: AccountRecord
  private session: MqttSession | null = null
  private brokerHost: BrokerHost | null = null
  private closed = false
  private lifecycle: Promise<unknown> = Promise.resolve()
  private readonly legacy: LegacyDrainer
  private readonly checkpointer: WalCheckpointer

  constructor(private readonly opts: KernelOptions) {
    this.prefs = new Prefs(opts.db, opts.log)
    this.record = new AccountRecord(opts.dataDir, this.prefs, opts.settings, opts.problems)
    this.checkpointer = new WalCheckpointer(opts.db)
    this.publisher = new Publisher(opts.db, () => this.session, opts.log, opts.tuning)
    // Built once: better-sqlite3 makes a new wrapper for every db.transaction() call.
    const inTransaction = opts.db.transaction((fn: () => unknown) => fn())
    this.router = new TopicRouter(
      {
        transaction: <T>(fn: () => T) => inTransaction(fn) as T,
        subscribe: (filters) => this.session?.subscribe(filters),
        unsubscribe: (filters) => this.session?.unsubscribe(filters),
      },
      opts.log,
    )
    this.legacy = new LegacyDrainer(this.router, opts.log, opts.tuning.legacyDrain)
  }

  get dataDir(): string {
    return this.opts.dataDir
  }

  get db(): Database.Database {
    return this.opts.db
  }

  get log(): Logger {
    return this.opts.log
  }

  get account(): Account | null {
    return this.record.account
  }

  get connection(): ConnectionStatus {
    return this.session?.currentStatus ?? IDLE
  }

  /** Builds a feature (its dependencies must be registered already) and returns what it made. */
  register(feature: Feature): FeatureInstance {
    if (this.features.has(feature.name)) throw new Error(`feature ${feature.name} is registered twice`)
    for (const dep of feature.dependsOn ?? []) {
      if (!this.features.has(dep)) throw new Error(`feature ${feature.name} needs ${dep}, which is not registered before it`)
    }
    const instance = feature.create(this.contextFor(feature))
    this.features.set(feature.name, { feature, instance })
    return instance
  }

  /** Starts the session once every feature is registered (they contribute routes and the will). */
  start(): void {
    for (const { instance } of this.features.values()) instance.onAccount?.(this.account)
    if (this.record.settings) this.startSession()
  }

  private contextFor(feature: Feature): FeatureContext {
    const declared = new Set(feature.dependsOn ?? [])
    return {
      db: this.opts.db,
      log: this.opts.log,
      events: this.events,
      router: this.router,
      publisher: this.publisher,
      prefs: this.prefs,
      codec: this.codec,
      tuning: this.opts.tuning,
      dataDir: this.opts.dataDir,
      account: () => this.account,
      requireAccount: () => {
        const a = this.account
        if (!a) throw new ParleyError('Set up Parley first: choose a user name and a broker.', 'not-configured')
        return a
      },
      connected: () => this.session?.connected === true,
      addRoute: (route: Route) => this.router.add(route, this.session?.connected === true),
      removeRoute: (filter: string) => this.router.remove(filter, this.session?.connected === true),
      replayRetained: (only?: (filter: string) => boolean) => {
        const subs = this.router.retainedSubscriptions(only)
        if (this.session?.connected && Object.keys(subs).length) this.session.subscribe(subs)
      },
      use: <T>(name: string): T => {
        if (!declared.has(name)) throw new Error(`feature ${feature.name} uses ${name} without declaring it in dependsOn`)
        return this.features.get(name)!.instance.api as T
      },
    }
  }

  accountState(): AccountState {
    const s = this.record.settings
    return {
      configured: s !== null,
      user: s?.user ?? null,
      broker: s ? publicBroker(s.broker) : null,
      deviceId: s?.deviceId ?? null,
      dataDir: this.opts.dataDir,
      connection: this.connection,
      problem: this.record.problem,
    }
  }

  /** Runs lifecycle changes one at a time: two set-ups (two windows) or a close during a set-up must not interleave. */
  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.lifecycle.then(fn)
    this.lifecycle = run.catch(() => {})
    return run
  }

  /** The user this history belongs to: the signed-in one, else whoever signed out keeping it (null: nobody yet). */
  historyOwner(): string | null {
    return this.record.historyOwner()
  }

  /** Saves new account settings and reconnects with them. */
  configure(input: AccountSetup, change?: BrokerChange): Promise<AccountState> {
    return this.serial(() => this.applySetup(input, change))
  }

  /** "Test connection" for `input`, with the stored secrets where the UI asks to keep them (see broker-test.ts). */
  testBroker(input: AccountSetup['broker'], change?: BrokerChange): Promise<BrokerTestResult> {
    return testBroker(this.record.withKeptSecrets(BrokerSettingsSchema.parse(input), change))
  }

  private async applySetup(input: AccountSetup, change?: BrokerChange): Promise<AccountState> {
    if (this.closed) throw new ParleyError('Parley is shutting down.', 'failed')
    const next = this.record.saveSetup(AccountSetupSchema.parse(input), change)
    // Leaving this broker (or this name) cleanly sends no Last Will: say goodbye first.
    await this.sayGoodbye()
    await this.stopSession()
    this.record.adopt(next)
    for (const { instance } of this.features.values()) instance.onAccount?.(this.account)
    this.startSession()
    const state = this.accountState()
    this.events.emit('account', state)
    return state
  }

  reconnectNow(): void {
    this.session?.reconnectNow()
  }

  /**
   * Signs out of this data directory: goodbye (presence offline) while still
   * connected, the broker session ended for good (MQTT 5: nothing keeps queuing for
   * a client id that is about to be forgotten), settings.json removed, and the
   * history emptied or kept for the next sign-in as the same user. Offline, the
   * goodbye is skipped and the broker lets the session expire by itself.
   */
  signOut(options: SignOutOptions): Promise<AccountState> {
    return this.serial(async () => {
      if (this.closed) throw new ParleyError('Parley is shutting down.', 'failed')
      const prev = this.record.settings
      if (!prev) throw new ParleyError('You are not signed in.', 'not-configured')
      await this.sayGoodbye()
      await this.stopSession({ endSession: true })
      this.record.forget(prev.user, options.deleteHistory, this.opts.db)
      this.each((i) => i.onAccount?.(null))
      this.opts.log.info('signed out', { user: prev.user, deletedHistory: options.deleteHistory })
      const state = this.accountState()
      this.events.emit('connection', state.connection)
      this.events.emit('account', state)
      return state
    })
  }

  private each(fn: (i: FeatureInstance, name: string) => void): void {
    for (const [name, { instance }] of this.features) {
      try {
        fn(instance, name)
      } catch (err) {
        this.opts.log.error('feature hook failed', { feature: name, error: (err as Error).message })
      }
    }
  }

  private routesFor(account: Account): Route[] {
    return [...this.features.values()].flatMap(({ instance }) => instance.routes?.(account) ?? [])
  }

  private willFor(account: Account): Will | null {
    const wills = [...this.features.values()].map(({ instance }) => instance.will?.(account) ?? null).filter((w): w is Will => w !== null)
    if (wills.length > 1) throw new Error('more than one feature contributes a Last Will; MQTT allows one per connection')
    return wills[0] ?? null
  }

  private startSession(): void {
    const s = this.record.settings
    const account = this.account
    if (!s || !account) return
    const b = s.broker
    const embedded = b.kind === 'embedded' ? b : null
    const base = {
      clientId: clientId(s.groupId, this.record.clientSecret(s)),
      sessionExpirySeconds: this.opts.sessionExpirySeconds,
      keepaliveSeconds: this.opts.tuning.keepaliveSeconds,
      stableAfterMs: this.opts.tuning.stableAfterMs,
      // Built at each CONNECT, so the will's time is that of the connection it guards.
      will: () => this.willFor(account),
    }
    const config: SessionConfig =
      b.kind === 'embedded'
        ? { ...base, url: `mqtt://127.0.0.1:${b.port}`, protocol: 4 } // Aedes speaks MQTT 3.1.1 only
        : { ...base, url: b.url, username: b.username, password: b.password, ca: b.ca, protocol: 'auto' }
    const host = embedded ? new BrokerHost(embedded, this.opts.log) : null
    this.brokerHost = host
    const session: MqttSession = new MqttSession(
      config,
      {
        subscriptions: () => {
          this.router.reset(this.routesFor(account))
          return this.router.subscriptions()
        },
        onMessages: (packets) => this.router.dispatch(packets),
        onConnected: (info) => {
          this.publisher.onConnected()
          this.each((i) => i.onConnected?.(info))
          this.drainLegacy(config, session)
        },
        onDisconnected: ({ byUs }) => {
          this.publisher.onDisconnected(byUs)
          this.each((i) => i.onDisconnected?.())
        },
        onStatus: (status) => this.events.emit('connection', status),
        beforeConnect: host ? (): Promise<void> => host.ensure((): boolean => this.session === session) : undefined,
      },
      this.opts.log,
    )
    this.session = session
    session.start()
  }

  /** Once connected under the new client id, empties the old one's session (see legacy-session.ts). */
  private drainLegacy(config: SessionConfig, session: MqttSession): void {
    const s = this.record.settings
    const legacy = s?.legacyClientId
    if (!s || !legacy) return
    this.legacy.start(config, legacy, () => {
      if (this.session === session) this.record.legacyDrained(s)
    })
  }

  /** Lets features publish their goodbyes (presence: offline) while the session is still up. */
  private async sayGoodbye(): Promise<void> {
    await Promise.all([...this.features.values()].map(({ instance }) => instance.beforeClose?.().catch(() => {})))
  }

  private async stopSession(opts: { endSession?: boolean } = {}): Promise<void> {
    const session = this.session
    const wasConnected = session?.connected === true
    this.session = null
    await session?.stop(opts)
    // A stopped session reports no close: what waited on this connection must hear it is gone.
    if (wasConnected) {
      this.publisher.onDisconnected(true)
      this.each((i) => i.onDisconnected?.())
    }
    await this.legacy.stop()
    const host = this.brokerHost
    this.brokerHost = null
    await host?.close()
  }

  close(unlock: () => void): Promise<void> {
    if (this.closed) return this.lifecycle.then(() => {})
    this.closed = true
    return this.serial(async () => {
      // Features say goodbye first (presence publishes "offline") while the session is still up.
      await this.sayGoodbye()
      await this.stopSession()
      this.publisher.close()
      this.each((i) => i.close?.())
      this.checkpointer.close()
      this.opts.db.close()
      unlock()
    })
  }
}
