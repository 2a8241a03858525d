/**
 * Integration-test pieces: ParleyCore nodes in temp data directories that record
 * their events, a polling waitFor, raw MQTT.js clients, and TCP relays (relay.ts)
 * that can make a broker appear on a port later.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import type { Server } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import mqtt, { type IClientOptions, type MqttClient } from 'mqtt'
import { ParleyCore } from '../../src/main/core/engine'
import type { CoreTuning } from '../../src/main/core/kernel/feature'
import type {
  BrokerSettings,
  ChatMessage,
  ConnectionStatus,
  ConversationSummary,
  MessageStatus,
  ParleyEventName,
  ParleyEvents,
  Presence,
  TypingNotice,
} from '../../src/shared/contract'
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest'
import { topicMatches } from '../../src/shared/protocol/topics'
import { startMosquitto, type Mosquitto, type MosquittoOptions } from './mosquitto'
import { MemoryLog } from './memory-log'
import { Relay } from './relay'

export { MemoryLog }

/** Polls `check` every 20 ms until it returns a truthy value (or stops throwing). */
export async function waitFor<T>(check: () => T | Promise<T>, what: string, timeoutMs = 8_000): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs
  let last: unknown = null
  for (;;) {
    try {
      const v = await check()
      if (v) return v as NonNullable<T>
      last = v
    } catch (err) {
      last = err
    }
    if (Date.now() > deadline) {
      const detail = last instanceof Error ? last.message : JSON.stringify(last)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what} (last: ${detail})`)
    }
    await sleep(20)
  }
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms))

/** Timings short enough for tests (keepalive stays at what a test asks for). */
export const FAST: Partial<CoreTuning> = { reofferBaseMs: 300, willDelaySeconds: 1, stableAfterMs: 1_000 }

/** Publishes at QoS 1 (optionally retained) and waits for the PUBACK. */
export function publish(client: MqttClient, topic: string, payload: string | Buffer, opts: { retain?: boolean } = {}): Promise<void> {
  return new Promise((resolve, reject) => client.publish(topic, payload, { qos: 1, retain: opts.retain ?? false }, (err) => (err ? reject(err) : resolve())))
}

/** Subscribes a raw client and records what it receives. */
export async function record(client: MqttClient, filter: string): Promise<{ topic: string; payload: Buffer; retain: boolean }[]> {
  const got: { topic: string; payload: Buffer; retain: boolean }[] = []
  client.on('message', (topic, payload, packet) => {
    if (topicMatches(filter, topic)) got.push({ topic, payload, retain: packet.retain })
  })
  await new Promise<void>((resolve, reject) => client.subscribe(filter, { qos: 1 }, (err) => (err ? reject(err) : resolve())))
  return got
}

export interface RecordedEvent<K extends ParleyEventName = ParleyEventName> {
  event: K
  payload: ParleyEvents[K]
}

/** One Parley: a core over a data directory, with every event it emitted. */
export class Node {
  readonly events: RecordedEvent[] = []
  private off: () => void

  constructor(
    readonly name: string,
    readonly dataDir: string,
    readonly core: ParleyCore,
    readonly log: MemoryLog,
  ) {
    this.off = core.onEvent((event, payload) => this.events.push({ event, payload } as RecordedEvent))
  }

  get services() {
    return this.core.services
  }

  of<K extends ParleyEventName>(event: K): ParleyEvents[K][] {
    return this.events.filter((e) => e.event === event).map((e) => e.payload as ParleyEvents[K])
  }

  messages(): ChatMessage[] {
    return this.of('message')
  }

  conversations(): ConversationSummary[] {
    return this.of('conversation')
  }

  statuses(): ConnectionStatus[] {
    return this.of('connection')
  }

  /** Every 'presence' event about `user`, oldest first. */
  presences(user: string): Presence[] {
    return this.of('presence').filter((p) => p.user === user)
  }

  typings(): TypingNotice[] {
    return this.of('typing')
  }

  /** The statuses message `id` went through here, in the order of its events. */
  statusesOf(id: string): MessageStatus[] {
    return this.messages()
      .filter((m) => m.id === id)
      .map((m) => m.status)
  }

  /** Its stored status now (reads the history with `peer`). */
  async storedStatus(peer: string, id: string): Promise<MessageStatus | undefined> {
    return (await this.history(peer)).find((m) => m.id === id)?.status
  }

  /** Reads this node's history.db directly (a second, read-only connection): what is really stored. */
  query<T = Record<string, unknown>>(sql: string, ...params: unknown[]): T[] {
    const db = new Database(join(this.dataDir, 'history.db'), { readonly: true, fileMustExist: true })
    try {
      return db.prepare(sql).all(...params) as T[]
    } finally {
      db.close()
    }
  }

  /** Waits until presence.get(user) answers `state` (the call also makes the core follow `user`). */
  async presenceBecomes(user: string, state: Presence['state'], timeoutMs = 8_000): Promise<Presence> {
    return waitFor(
      async () => {
        const p = await this.services.presence.get(user)
        return p.state === state ? p : null
      },
      `${this.name} to see ${user} ${state}`,
      timeoutMs,
    )
  }

  get status(): ConnectionStatus {
    return this.core.connection
  }

  async history(peer: string): Promise<ChatMessage[]> {
    return (await this.services.messages.page({ conversationId: `dm:${peer}`, limit: 500 })).messages
  }

  /** Waits until connected, plus a moment for the SUBSCRIBE (sent with the CONNACK handling) to reach the broker. */
  async connected(timeoutMs = 8_000): Promise<ConnectionStatus> {
    const s = await waitFor(() => (this.status.state === 'connected' ? this.status : null), `${this.name} to connect`, timeoutMs)
    await sleep(100)
    return s
  }

  async send(to: string, text: string): Promise<ChatMessage> {
    const c = await this.services.conversations.open(to)
    return this.services.messages.send({ conversationId: c.id, text })
  }

  async close(): Promise<void> {
    this.off()
    await this.core.close()
  }
}

export interface OpenOptions {
  /** Default: a directory of the lab named after the node. */
  dataDir?: string
  /** The account's user name (default: the node's name); two nodes of one user are two devices. */
  user?: string
  /** Overrides the lab's tuning for this node. */
  tuning?: Partial<CoreTuning>
}

/** Creates and cleans up the nodes, temp dirs and raw clients of one test file. */
export class Lab {
  readonly root = mkdtempSync(join(tmpdir(), 'parley-it-'))
  private readonly nodes = new Set<Node>()
  private readonly clients = new Set<MqttClient>()
  private readonly servers = new Set<Server | Relay>()

  /** `tuning` applies to every node this lab opens (short timings for tests). */
  constructor(readonly tuning: Partial<CoreTuning> = {}) {}

  dir(name: string): string {
    return join(this.root, name)
  }

  /**
   * Opens a core (by default on a directory named after the node) and, given a
   * broker, sets it up. A string third argument is the data directory.
   */
  async open(name: string, broker?: BrokerSettings, opts: string | OpenOptions = {}): Promise<Node> {
    const o: OpenOptions = typeof opts === 'string' ? { dataDir: opts } : opts
    const dataDir = o.dataDir ?? this.dir(name)
    const log = new MemoryLog(name)
    const core = await ParleyCore.open({ dataDir, sessionExpirySeconds: 3600, log, tuning: { ...this.tuning, ...o.tuning } })
    const node = new Node(name, dataDir, core, log)
    this.nodes.add(node)
    if (broker) await core.services.account.setup({ user: o.user ?? name, broker })
    return node
  }

  async close(node: Node): Promise<void> {
    this.nodes.delete(node)
    await node.close()
  }

  async client(url: string, opts: IClientOptions = {}): Promise<MqttClient> {
    const c = mqtt.connect(url, {
      clientId: `raw-${Math.random().toString(16).slice(2)}`,
      clean: true,
      reconnectPeriod: 0,
      connectTimeout: 5_000,
      protocolVersion: 5,
      ...opts,
    })
    this.clients.add(c)
    await new Promise<void>((resolve, reject) => {
      c.once('connect', () => resolve())
      c.once('error', reject)
    })
    return c
  }

  relay(port: number, targetPort: number): Promise<Relay> {
    return Relay.start(port, targetPort).then((r) => {
      this.servers.add(r)
      return r
    })
  }

  track(server: Server): Server {
    this.servers.add(server)
    return server
  }

  async cleanup(): Promise<void> {
    // Newest first, so a Parley that hosts the embedded broker closes after its guests.
    for (const n of [...this.nodes].reverse()) await n.close().catch(() => {})
    this.nodes.clear()
    for (const c of this.clients) await new Promise<void>((r) => c.end(true, {}, () => r()))
    this.clients.clear()
    for (const s of this.servers) await closeServer(s)
    this.servers.clear()
    rmSync(this.root, { recursive: true, force: true })
  }

  dump(): string {
    return [...this.nodes].flatMap((n) => n.log.lines).join('\n')
  }
}

async function closeServer(s: Server | Relay): Promise<void> {
  if (s instanceof Relay) return s.close()
  await new Promise<void>((r) => s.close(() => r()))
}

export function urlBroker(url: string, extra: { username?: string; password?: string } = {}): BrokerSettings {
  return { kind: 'url', url, ...extra }
}

export function embeddedBroker(port: number): BrokerSettings {
  return { kind: 'embedded', port, shareOnLan: false }
}

export interface MosquittoLab {
  readonly broker: Mosquitto
  readonly lab: Lab
  /** Opens `name` on the file's Mosquitto (see Lab.open) and waits until it is connected. */
  online(name: string, opts?: OpenOptions): Promise<Node>
}

/**
 * The usual frame of an integration file: one Mosquitto for the file, a fresh
 * Lab per test (its log printed when the test fails), everything closed after.
 */
export function useMosquittoLab(options: MosquittoOptions & { tuning?: Partial<CoreTuning> } = {}): MosquittoLab {
  const ctx = {
    async online(name: string, opts: OpenOptions = {}): Promise<Node> {
      const node = await ctx.lab.open(name, urlBroker(ctx.broker.url), opts)
      await node.connected()
      return node
    },
  } as { broker: Mosquitto; lab: Lab } & Pick<MosquittoLab, 'online'>
  beforeAll(async () => {
    ctx.broker = await startMosquitto(options)
  })
  afterAll(async () => {
    await ctx.broker?.stop()
  })
  beforeEach(() => {
    ctx.lab = new Lab(options.tuning)
  })
  afterEach(async (t) => {
    if (t.task.result?.state === 'fail') console.error(ctx.lab.dump())
    await ctx.lab.cleanup()
  })
  return ctx
}
