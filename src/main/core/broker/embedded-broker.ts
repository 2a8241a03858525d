import { createServer, type Server, type Socket } from 'node:net'
import { chmodSync, mkdirSync } from 'node:fs'
import mqtt from 'mqtt'
import type { Logger } from '../kernel/log'

export interface EmbeddedBroker {
  port: number
  host: string
  close(): Promise<void>
}

export interface EmbeddedBrokerOptions {
  port: number
  /** '127.0.0.1' normally; '0.0.0.0' only when the person chose to share on the LAN. */
  host: string
  /** Folder for the broker's own LevelDB, so queued messages survive a restart. */
  dir: string
  log: Logger
}

/**
 * Starts Aedes (MQTT 3.1.1) with LevelDB persistence. Aedes and level are ESM
 * and only needed when this broker runs, hence the dynamic imports.
 */
export async function startEmbeddedBroker(opts: EmbeddedBrokerOptions): Promise<EmbeddedBroker> {
  // Take the port first: it decides who hosts. Only the winner opens the shared
  // LevelDB folder, which one process at a time may hold.
  let handle: ((socket: Socket) => void) | null = null
  const early: Socket[] = []
  const sockets = new Set<Socket>()
  const server: Server = createServer((socket) => {
    sockets.add(socket)
    socket.once('close', () => sockets.delete(socket))
    if (handle) handle(socket)
    else early.push(socket)
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(opts.port, opts.host, () => {
      server.off('error', reject)
      resolve()
    })
  })
  const closeServer = () => {
    const closed = new Promise<void>((r) => server.close(() => r()))
    for (const socket of sockets) socket.destroy()
    return closed
  }
  let db: { close(): Promise<void> } | null = null
  let broker: { handle: unknown; close(cb: () => void): void }
  try {
    // The queues hold other people's messages to us: readable by this user alone.
    mkdirSync(opts.dir, { recursive: true, mode: 0o700 })
    chmodSync(opts.dir, 0o700)
    const [{ Aedes }, { Level }, persistenceModule] = await Promise.all([
      import('aedes'),
      import('level'),
      import('aedes-persistence-level'),
    ])
    const persistenceFactory = (persistenceModule as { default?: unknown }).default ?? persistenceModule
    const level = new Level<string, Buffer>(opts.dir)
    db = level
    const persistence = (persistenceFactory as (db: unknown) => unknown)(level)
    broker = await Aedes.createBroker({ persistence: persistence as never, drainTimeout: 30_000 })
  } catch (err) {
    await closeServer()
    await db?.close().catch(() => {})
    throw err
  }
  handle = broker.handle as (socket: Socket) => void
  for (const socket of early.splice(0)) if (!socket.destroyed) handle(socket)
  opts.log.info('embedded broker listening', { host: opts.host, port: opts.port, dir: opts.dir })
  return {
    port: opts.port,
    host: opts.host,
    async close() {
      // End the connections too: server.close() alone would wait for other Parleys
      // using this broker to leave; they see it go away and host one themselves.
      await new Promise<void>((r) => broker.close(() => r()))
      await closeServer()
      await db?.close().catch(() => {})
    },
  }
}

/** True when something on 127.0.0.1:port answers an MQTT CONNECT. */
export async function isMqttBroker(port: number, timeoutMs = 2000): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = mqtt.connect(`mqtt://127.0.0.1:${port}`, {
      protocolVersion: 4,
      clean: true,
      reconnectPeriod: 0,
      connectTimeout: timeoutMs,
      clientId: `parley-probe-${process.pid}-${Date.now()}`,
    })
    let settled = false
    // Something that accepts TCP but never speaks MQTT must not leave us waiting.
    const timer = setTimeout(() => finish(false), timeoutMs + 500)
    const finish = (ok: boolean) => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      probe.end(true)
      resolve(ok)
    }
    probe.once('connect', () => finish(true))
    probe.once('error', () => finish(false))
    probe.once('close', () => finish(false))
  })
}

/**
 * Makes sure a broker answers on the embedded port: starts ours, or — when the
 * port is taken because another Parley on this machine already hosts the broker —
 * uses that one. Returns the broker we own, or null when we use another's.
 */
export async function ensureEmbeddedBroker(opts: EmbeddedBrokerOptions): Promise<EmbeddedBroker | null> {
  try {
    return await startEmbeddedBroker(opts)
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw err
    if (await isMqttBroker(opts.port)) {
      opts.log.info('using the broker another Parley already runs', { port: opts.port })
      return null
    }
    throw new Error(`Port ${opts.port} is used by another program that is not an MQTT broker. Choose another port for the built-in broker.`)
  }
}
