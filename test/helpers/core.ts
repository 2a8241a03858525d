/**
 * Integration-test pieces: ParleyCore nodes in temp data directories that record
 * their events, a polling waitFor, raw MQTT.js clients, and a TCP relay that can
 * make a broker appear on a port later.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { createServer, connect, type Server, type Socket } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import mqtt, { type IClientOptions, type MqttClient } from 'mqtt'
import { ParleyCore } from '../../src/main/core/engine'
import type { BrokerSettings, ChatMessage, ConnectionStatus, ConversationSummary, ParleyEventName, ParleyEvents } from '../../src/shared/contract'
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest'
import { startMosquitto, type Mosquitto, type MosquittoOptions } from './mosquitto'
import { MemoryLog } from './memory-log'

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

/** Creates and cleans up the nodes, temp dirs and raw clients of one test file. */
export class Lab {
  readonly root = mkdtempSync(join(tmpdir(), 'parley-it-'))
  private readonly nodes = new Set<Node>()
  private readonly clients = new Set<MqttClient>()
  private readonly servers = new Set<Server | Relay>()

  dir(name: string): string {
    return join(this.root, name)
  }

  /** Opens a core on `dataDir` (default: a directory named after the user) and, given a broker, sets it up. */
  async open(name: string, broker?: BrokerSettings, dataDir = this.dir(name)): Promise<Node> {
    const log = new MemoryLog(name)
    const core = await ParleyCore.open({ dataDir, sessionExpirySeconds: 3600, log })
    const node = new Node(name, dataDir, core, log)
    this.nodes.add(node)
    if (broker) await core.services.account.setup({ user: name, broker })
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

/** A TCP relay from 127.0.0.1:port to 127.0.0.1:targetPort: a broker that "comes up" on port. */
export class Relay {
  private readonly sockets = new Set<Socket>()
  private readonly pairs = new Set<[Socket, Socket]>()
  private constructor(
    readonly port: number,
    private readonly server: Server,
  ) {}

  static start(port: number, targetPort: number): Promise<Relay> {
    const server = createServer()
    const relay = new Relay(port, server)
    server.on('connection', (client) => {
      const upstream = connect(targetPort, '127.0.0.1')
      for (const s of [client, upstream]) {
        relay.sockets.add(s)
        s.on('close', () => relay.sockets.delete(s))
        s.on('error', () => {
          client.destroy()
          upstream.destroy()
        })
      }
      client.pipe(upstream).pipe(client)
      const pair: [Socket, Socket] = [client, upstream]
      relay.pairs.add(pair)
      client.on('close', () => relay.pairs.delete(pair))
    })
    return new Promise((resolve, reject) => {
      server.once('error', reject)
      server.listen(port, '127.0.0.1', () => resolve(relay))
    })
  }

  /** Stops carrying bytes on the current connections (a network that silently hangs). */
  freeze(): void {
    for (const [client, upstream] of this.pairs) {
      client.unpipe(upstream)
      upstream.unpipe(client)
    }
  }

  /** Cuts the current connections; new ones are carried as usual. */
  dropConnections(): void {
    for (const s of this.sockets) s.destroy()
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy()
    await new Promise<void>((r) => this.server.close(() => r()))
  }
}

export function urlBroker(url: string, extra: { username?: string; password?: string } = {}): BrokerSettings {
  return { kind: 'url', url, ...extra }
}

export function embeddedBroker(port: number): BrokerSettings {
  return { kind: 'embedded', port, shareOnLan: false }
}

/**
 * The usual frame of an integration file: one Mosquitto for the file, a fresh
 * Lab per test (its log printed when the test fails), everything closed after.
 */
export function useMosquittoLab(options: MosquittoOptions = {}): { readonly broker: Mosquitto; readonly lab: Lab } {
  const ctx = {} as { broker: Mosquitto; lab: Lab }
  beforeAll(async () => {
    ctx.broker = await startMosquitto(options)
  })
  afterAll(async () => {
    await ctx.broker?.stop()
  })
  beforeEach(() => {
    ctx.lab = new Lab()
  })
  afterEach(async (t) => {
    if (t.task.result?.state === 'fail') console.error(ctx.lab.dump())
    await ctx.lab.cleanup()
  })
  return ctx
}
