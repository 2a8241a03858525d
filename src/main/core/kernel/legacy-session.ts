import mqtt from 'mqtt'
import type { TopicRouter } from '../mqtt/router'
import { MqttSession, type SessionConfig } from '../mqtt/session'
import type { Logger } from './log'

export interface DrainOptions {
  /** The broker has gone this long without a message for the old session: it is empty. */
  quietMs?: number
  /** Give up (and try again next start) when it cannot connect within this long. */
  timeoutMs?: number
}

/**
 * Before client ids had a secret part, Parley connected as `GroupID@@@{public device
 * id}`. After the upgrade the broker may still hold messages queued for that old
 * session. This connects once more under the old id, lets the broker deliver what
 * it kept (through the same router, so stored before acknowledged, and a message
 * that also reached the new session is stored once), waits until it is quiet, and
 * ends the old session for good, so nobody who knows the old id can take it over.
 * Resolves true when done, false to try again another time.
 */
export async function drainLegacySession(
  config: SessionConfig,
  legacyClientId: string,
  router: TopicRouter,
  log: Logger,
  opts: DrainOptions = {},
  /** Aborted when Parley closes or reconnects elsewhere: stop at once, try again next time. */
  signal?: AbortSignal,
): Promise<boolean> {
  const quietMs = opts.quietMs ?? 1500
  const timeoutMs = opts.timeoutMs ?? 30_000
  let connectedAt: number | null = null
  let last = 0
  let count = 0
  const session = new MqttSession(
    // No Last Will and no subscriptions of its own: it only empties what the old session holds.
    { ...config, clientId: legacyClientId, will: undefined },
    {
      subscriptions: () => ({}),
      onMessages: (packets) => {
        last = Date.now()
        count += packets.length
        router.dispatch(packets)
      },
      onConnected: () => {
        connectedAt ??= Date.now()
        last = Date.now()
      },
      onStatus: () => {},
    },
    log,
  )
  session.start()
  const deadline = Date.now() + timeoutMs
  try {
    while (connectedAt === null || Date.now() - last < quietMs) {
      if (signal?.aborted || (connectedAt === null && Date.now() > deadline)) return false
      await new Promise((r) => setTimeout(r, 100).unref())
    }
    // Ending the session needs the connection that holds it; gone meanwhile, try another time.
    if (!session.connected) return false
    const v5 = session.protocolVersion === 5
    await session.stop({ endSession: true })
    // MQTT 3.1.1 has no way to end a session on DISCONNECT: a clean connect discards it.
    if (!v5) await cleanConnect(config, legacyClientId)
    log.info('took over what the broker kept for the old client id, and ended that session', { messages: count })
    return true
  } finally {
    await session.stop()
  }
}

function cleanConnect(config: SessionConfig, clientId: string): Promise<void> {
  return new Promise((resolve) => {
    const c = mqtt.connect(config.url, {
      clientId,
      clean: true,
      protocolVersion: 4,
      reconnectPeriod: 0,
      connectTimeout: 10_000,
      username: config.username || undefined,
      password: config.password || undefined,
      ca: config.ca || undefined,
    })
    const done = () => c.end(true, {}, () => resolve())
    c.once('connect', done)
    c.once('error', done)
    c.once('close', () => resolve())
  })
}

/** At most one drain at a time: started once connected under the new client id, stopped with the session. */
export class LegacyDrainer {
  private running: Promise<void> | null = null
  private abort: AbortController | null = null

  constructor(
    private readonly router: TopicRouter,
    private readonly log: Logger,
    private readonly opts: DrainOptions,
  ) {}

  /** Empties `legacyClientId`'s session (unless a drain runs already); `drained` runs once it is empty. */
  start(config: SessionConfig, legacyClientId: string, drained: () => void): void {
    if (this.running) return
    const abort = new AbortController()
    this.abort = abort
    this.running = drainLegacySession(config, legacyClientId, this.router, this.log, this.opts, abort.signal)
      .then((done) => {
        if (done) drained()
      })
      .catch((err: Error) => this.log.warn('could not take over the old client id session', { error: err.message }))
      .finally(() => {
        this.running = null
        this.abort = null
      })
  }

  /** Stops a running drain (the next start tries again) and waits until it has. */
  async stop(): Promise<void> {
    this.abort?.abort()
    await this.running
  }
}
