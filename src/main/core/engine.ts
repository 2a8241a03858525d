import { randomBytes } from 'node:crypto'
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import type Database from 'better-sqlite3'
import type {
  AccountState,
  ChatMessage,
  ConnectionStatus,
  ParleyServices,
  PublicBrokerSettings,
  Unsubscribe,
} from '../../shared/contract'
import { AccountSetupSchema, DEFAULT_GROUP_ID, DEFAULT_ROOT, type AccountSetup, type Settings } from '../../shared/schemas'
import { ParleyError } from '../../shared/rpc'
import { clientId, inboxFilter } from '../../shared/topics'
import { ensureEmbeddedBroker, type EmbeddedBroker } from './broker/embedded-broker'
import { lockDataDir } from './data-dir-lock'
import { EventBus, type AnyEventListener } from './event-bus'
import { silentLogger, type Logger } from './log'
import { handleInbound } from './messaging/inbound'
import { Outbox } from './messaging/outbox'
import { MqttSession, type SessionConfig } from './mqtt/session'
import { createServices } from './services'
import { loadSettings, saveSettings } from './settings-file'
import { MessageStore } from './store/message-store'
import { openDatabase } from './store/open-database'
import { resolveBrokerDir } from './paths'
import { WalCheckpointer } from './store/wal-checkpointer'

export interface CoreOptions {
  dataDir: string
  log?: Logger
  /** Seconds the broker keeps our session while we are away (MQTT 5). Default: 7 days. */
  sessionExpirySeconds?: number
}

const IDLE: ConnectionStatus = { state: 'idle', broker: null, detail: 'Not set up yet.', protocolVersion: null, retryInMs: null }

/** Broker settings as the UI and CLI may see them: secrets reduced to whether they are set. */
export function publicBroker(b: Settings['broker']): PublicBrokerSettings {
  if (b.kind === 'embedded') return b
  return { kind: 'url', url: b.url, username: b.username, hasPassword: Boolean(b.password), hasCa: Boolean(b.ca) }
}

/**
 * Parley's engine: one persistent MQTT session and the SQLite history for one
 * data directory. Node only (no Electron): the Electron shell, the web host and
 * the CLI each wrap one of these.
 */
export class ParleyCore {
  readonly services: ParleyServices
  readonly store: MessageStore
  private readonly bus = new EventBus()
  private settings: Settings | null
  private session: MqttSession | null = null
  private outbox: Outbox | null = null
  private broker: EmbeddedBroker | null = null
  private brokerStarting: Promise<unknown> | null = null
  private problems: string[]
  private pendingConversations = new Set<string>()
  private closed = false
  private lifecycle: Promise<unknown> = Promise.resolve()
  private readonly checkpointer: WalCheckpointer

  private constructor(
    readonly dataDir: string,
    private readonly db: Database.Database,
    private readonly unlock: () => void,
    settings: Settings | null,
    problems: string[],
    private readonly log: Logger,
    private readonly sessionExpirySeconds: number,
  ) {
    this.settings = settings
    this.problems = problems
    this.store = new MessageStore(db)
    this.checkpointer = new WalCheckpointer(db)
    this.services = createServices(this)
  }

  static async open(opts: CoreOptions): Promise<ParleyCore> {
    const log = opts.log ?? silentLogger
    mkdirSync(opts.dataDir, { recursive: true })
    const unlock = lockDataDir(opts.dataDir)
    try {
      const { db, problem: dbProblem } = openDatabase(join(opts.dataDir, 'history.db'))
      const { settings, problem: settingsProblem } = loadSettings(join(opts.dataDir, 'settings.json'))
      const problems = [dbProblem, settingsProblem].filter((p): p is string => p !== null)
      for (const p of problems) log.warn(p)
      const core = new ParleyCore(opts.dataDir, db, unlock, settings, problems, log, opts.sessionExpirySeconds ?? 7 * 24 * 3600)
      if (settings) core.startSession()
      return core
    } catch (err) {
      unlock()
      throw err
    }
  }

  onEvent(listener: AnyEventListener): Unsubscribe {
    return this.bus.on(listener)
  }

  get user(): string | null {
    return this.settings?.user ?? null
  }

  get root(): string {
    return this.settings?.root ?? DEFAULT_ROOT
  }

  get deviceId(): string | null {
    return this.settings?.deviceId ?? null
  }

  get connection(): ConnectionStatus {
    return this.session?.currentStatus ?? IDLE
  }

  accountState(): AccountState {
    const s = this.settings
    return {
      configured: s !== null,
      user: s?.user ?? null,
      broker: s ? publicBroker(s.broker) : null,
      clientId: s ? clientId(s.groupId, s.deviceId) : null,
      dataDir: this.dataDir,
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

  /** Saves new account settings and reconnects with them. */
  configure(input: AccountSetup): Promise<AccountState> {
    return this.serial(() => this.applySetup(input))
  }

  private async applySetup(input: AccountSetup): Promise<AccountState> {
    if (this.closed) throw new ParleyError('Parley is shutting down.', 'failed')
    const setup = AccountSetupSchema.parse(input)
    const prev = this.settings
    const next: Settings = {
      version: 1,
      user: setup.user,
      broker: setup.broker,
      root: prev?.root ?? DEFAULT_ROOT,
      groupId: prev?.groupId ?? DEFAULT_GROUP_ID,
      deviceId: prev?.deviceId ?? randomBytes(8).toString('hex'),
    }
    saveSettings(join(this.dataDir, 'settings.json'), next)
    await this.stopSession()
    this.settings = next
    this.problems = []
    this.startSession()
    const state = this.accountState()
    this.bus.emit('account', state)
    return state
  }

  reconnectNow(): void {
    this.session?.reconnectNow()
  }

  /** Publishes what is pending, if connected; otherwise it waits for the next connection. */
  flushOutbox(): void {
    this.outbox?.flush()
  }

  announceMessage(id: string): void {
    const m = this.store.getMessage(id)
    if (m) this.announceMessages([m])
  }

  announceMessages(messages: readonly ChatMessage[]): void {
    for (const m of messages) {
      this.bus.emit('message', m)
      this.announceConversation(m.conversationId)
    }
  }

  /** Coalesces conversation updates: a burst of messages yields one event per conversation. */
  announceConversation(id: string): void {
    if (this.pendingConversations.size === 0) {
      setImmediate(() => {
        const ids = [...this.pendingConversations]
        this.pendingConversations.clear()
        if (this.closed) return
        for (const cid of ids) {
          const c = this.store.getConversation(cid)
          if (c) this.bus.emit('conversation', c)
        }
      })
    }
    this.pendingConversations.add(id)
  }

  private startSession(): void {
    const s = this.settings
    if (!s) return
    const b = s.broker
    const embedded = b.kind === 'embedded' ? b : null
    const base = { clientId: clientId(s.groupId, s.deviceId), sessionExpirySeconds: this.sessionExpirySeconds }
    const config: SessionConfig =
      b.kind === 'embedded'
        ? { ...base, url: `mqtt://127.0.0.1:${b.port}`, protocol: 4 } // Aedes speaks MQTT 3.1.1 only
        : { ...base, url: b.url, username: b.username, password: b.password, ca: b.ca, protocol: 'auto' }
    const inboundCtx = { root: s.root, user: s.user, store: this.store, log: this.log, announce: (messages: ChatMessage[]) => this.announceMessages(messages) }
    const session = new MqttSession(
      config,
      {
        subscriptions: () => ({ [inboxFilter(s.root, s.user)]: { qos: 1 } }),
        onMessages: (packets) => handleInbound(inboundCtx, packets),
        onConnected: () => this.outbox?.onConnected(),
        onStatus: (status) => this.bus.emit('connection', status),
        beforeConnect: embedded
          ? async () => {
              // (Re)host the built-in broker unless we or another Parley already do.
              if (this.broker) return
              const starting = ensureEmbeddedBroker({
                port: embedded.port,
                host: embedded.shareOnLan ? '0.0.0.0' : '127.0.0.1',
                dir: resolveBrokerDir(embedded.port),
                log: this.log,
              })
              this.brokerStarting = starting
              const broker = await starting
              if (this.session !== session) {
                // Closed (or reconfigured) while the broker was starting: don't leave it running.
                await broker?.close()
                throw new Error('session stopped')
              }
              this.broker = broker
            }
          : undefined,
      },
      this.log,
    )
    this.session = session
    this.outbox = new Outbox({
      root: s.root,
      user: s.user,
      store: this.store,
      session: () => this.session,
      log: this.log,
      onSent: (id) => this.announceMessage(id),
    })
    session.start()
  }

  private async stopSession(): Promise<void> {
    const session = this.session
    this.session = null
    this.outbox = null
    await session?.stop()
    // A broker still starting closes itself once it sees the session is gone.
    await this.brokerStarting?.catch(() => {})
    this.brokerStarting = null
    const broker = this.broker
    this.broker = null
    await broker?.close()
  }

  close(): Promise<void> {
    if (this.closed) return this.lifecycle.then(() => {})
    this.closed = true
    return this.serial(() => this.shutdown())
  }

  private async shutdown(): Promise<void> {
    await this.stopSession()
    this.checkpointer.close()
    this.db.close()
    this.unlock()
  }
}
