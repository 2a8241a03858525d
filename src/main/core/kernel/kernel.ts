import { randomBytes } from 'node:crypto'
import { rmSync } from 'node:fs'
import { join } from 'node:path'
import type Database from 'better-sqlite3'
import type { AccountState, BrokerChange, BrokerTestResult, ConnectionStatus, ParleyEvents, SignOutOptions } from '../../../shared/contract'
import {
  AccountSetupSchema,
  BrokerSettingsSchema,
  DEFAULT_GROUP_ID,
  DEFAULT_ROOT,
  type AccountSetup,
  type BrokerSettings,
  type Settings,
} from '../../../shared/schemas'
import { NameSchema } from '../../../shared/protocol/names'
import { ParleyError } from '../../../shared/rpc'
import { clientId } from '../../../shared/protocol/topics'
import { Publisher } from '../mqtt/publisher'
import { Codec, PLAINTEXT } from '../protocol/codec'
import { TopicRouter, type Route } from '../mqtt/router'
import { MqttSession, type SessionConfig } from '../mqtt/session'
import { WalCheckpointer } from '../store/wal-checkpointer'
import { BrokerHost } from './broker-host'
import { testBrokerUrl, testEmbeddedBroker } from './broker-test'
import { EventBus } from './event-bus'
import { drainLegacySession } from './legacy-session'
import type { Account, CoreTuning, Feature, FeatureContext, FeatureInstance, Will } from './feature'
import type { Logger } from './log'
import { Prefs } from './prefs'
import { saveSettings } from './settings-file'
import { publicBroker } from './public-broker'
import { wipeHistory } from './wipe-history'

const IDLE: ConnectionStatus = { state: 'idle', broker: null, detail: 'Not set up yet.', protocolVersion: null, retryInMs: null }

/** Whose history.db this is: kept in it, so it is known after a sign-out that kept the history. */
const OWNER_PREF = 'account.owner'

export const DEFAULT_TUNING: CoreTuning = {
  reofferBaseMs: 60_000,
  reofferWindowMs: 7 * 24 * 3600_000,
  keepaliveSeconds: 30,
  willDelaySeconds: 5,
  legacyDrain: {},
  stableAfterMs: 30_000,
}

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
  private settings: Settings | null
  private problems: string[]
  private session: MqttSession | null = null
  private brokerHost: BrokerHost | null = null
  private closed = false
  private lifecycle: Promise<unknown> = Promise.resolve()
  private draining: Promise<void> | null = null
  private stopDraining: () => void = () => {}
  private readonly checkpointer: WalCheckpointer

  constructor(private readonly opts: KernelOptions) {
    this.settings = opts.settings
    this.problems = opts.problems
    this.prefs = new Prefs(opts.db, opts.log)
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
    const s = this.settings
    return s ? { user: s.user, root: s.root, deviceId: s.deviceId } : null
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
    if (this.settings) this.startSession()
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
      account: () => this.account,
      requireAccount: () => {
        const a = this.account
        if (!a) throw new ParleyError('Set up Parley first: choose a user name and a broker.', 'not-configured')
        return a
      },
      connected: () => this.session?.connected === true,
      addRoute: (route: Route) => this.router.add(route, this.session?.connected === true),
      removeRoute: (filter: string) => this.router.remove(filter, this.session?.connected === true),
      replayRetained: () => {
        const subs = this.router.retainedSubscriptions()
        if (this.session?.connected && Object.keys(subs).length) this.session.subscribe(subs)
      },
      use: <T>(name: string): T => {
        if (!declared.has(name)) throw new Error(`feature ${feature.name} uses ${name} without declaring it in dependsOn`)
        return this.features.get(name)!.instance.api as T
      },
    }
  }

  accountState(): AccountState {
    const s = this.settings
    return {
      configured: s !== null,
      user: s?.user ?? null,
      broker: s ? publicBroker(s.broker) : null,
      deviceId: s?.deviceId ?? null,
      dataDir: this.opts.dataDir,
      connection: this.connection,
      problem: this.problems.length ? this.problems.join(' ') : null,
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
    return this.settings?.user ?? this.prefs.get<string | null>(OWNER_PREF, NameSchema.nullable(), null)
  }

  /** Saves new account settings and reconnects with them. */
  configure(input: AccountSetup, change?: BrokerChange): Promise<AccountState> {
    return this.serial(() => this.applySetup(input, change))
  }

  /**
   * The UI never sees the stored password or CA: a URL broker given without them
   * keeps the current ones when asked to — the password only for the same user
   * name, the CA only for the same host (another broker has another certificate).
   */
  private withKeptSecrets(broker: BrokerSettings, change?: BrokerChange): BrokerSettings {
    const prev = this.settings?.broker
    if (!change?.keepSecrets || broker.kind !== 'url' || prev?.kind !== 'url') return broker
    const kept = { ...broker }
    if (kept.password === undefined && prev.password !== undefined && (kept.username ?? '') === (prev.username ?? '')) kept.password = prev.password
    if (kept.ca === undefined && prev.ca !== undefined && hostOf(kept.url) === hostOf(prev.url)) kept.ca = prev.ca
    return kept
  }

  /** Tries `input` with a throwaway client (see broker-test.ts); touches neither the settings nor the session. */
  async testBroker(input: AccountSetup['broker'], change?: BrokerChange): Promise<BrokerTestResult> {
    const broker = this.withKeptSecrets(BrokerSettingsSchema.parse(input), change)
    if (broker.kind === 'embedded') return testEmbeddedBroker(broker)
    const { refused: _refused, ...result } = await testBrokerUrl(broker)
    return result
  }

  private async applySetup(input: AccountSetup, change?: BrokerChange): Promise<AccountState> {
    if (this.closed) throw new ParleyError('Parley is shutting down.', 'failed')
    const setup = AccountSetupSchema.parse(input)
    const prev = this.settings
    const next: Settings = {
      version: 1,
      user: setup.user,
      broker: this.withKeptSecrets(setup.broker, change),
      root: prev?.root ?? DEFAULT_ROOT,
      groupId: prev?.groupId ?? DEFAULT_GROUP_ID,
      deviceId: prev?.deviceId ?? randomBytes(8).toString('hex'),
      clientSecret: prev?.clientSecret ?? randomBytes(16).toString('hex'),
      // Not drained yet: the old session may still hold messages, and its id is guessable.
      ...(prev?.legacyClientId ? { legacyClientId: prev.legacyClientId } : {}),
    }
    saveSettings(join(this.opts.dataDir, 'settings.json'), next)
    // Leaving this broker (or this name) cleanly sends no Last Will: say goodbye first.
    await this.sayGoodbye()
    await this.stopSession()
    this.settings = next
    this.problems = []
    this.prefs.set(OWNER_PREF, next.user)
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
      const prev = this.settings
      if (!prev) throw new ParleyError('You are not signed in.', 'not-configured')
      await this.sayGoodbye()
      await this.stopSession({ endSession: true })
      rmSync(join(this.opts.dataDir, 'settings.json'), { force: true })
      this.settings = null
      this.problems = []
      if (options.deleteHistory) wipeHistory(this.opts.db)
      else this.prefs.set(OWNER_PREF, prev.user)
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
    const s = this.settings
    const account = this.account
    if (!s || !account) return
    const b = s.broker
    const embedded = b.kind === 'embedded' ? b : null
    if (!s.clientSecret) {
      // Settings from before the client id had a secret part: give it one, once, and
      // remember the old id, whose broker session may still hold queued messages.
      s.clientSecret = randomBytes(16).toString('hex')
      s.legacyClientId = clientId(s.groupId, s.deviceId)
      saveSettings(join(this.opts.dataDir, 'settings.json'), s)
    }
    const base = {
      clientId: clientId(s.groupId, s.clientSecret),
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
    const s = this.settings
    const legacy = s?.legacyClientId
    if (!s || !legacy || this.draining) return
    const abort = new AbortController()
    this.stopDraining = () => abort.abort()
    this.draining = drainLegacySession(config, legacy, this.router, this.opts.log, this.opts.tuning.legacyDrain, abort.signal)
      .then((done) => {
        if (done && this.settings === s && this.session === session) {
          delete s.legacyClientId
          saveSettings(join(this.opts.dataDir, 'settings.json'), s)
        }
      })
      .catch((err: Error) => this.opts.log.warn('could not take over the old client id session', { error: err.message }))
      .finally(() => {
        this.draining = null
        this.stopDraining = () => {}
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
    this.stopDraining()
    await this.draining
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

function hostOf(url: string): string | null {
  try {
    return new URL(url).host
  } catch {
    return null
  }
}
