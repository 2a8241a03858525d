import mqtt, { type IPublishPacket, type MqttClient, type ISubscriptionMap } from 'mqtt'
import type { ConnectionStatus } from '../../../shared/contract'
import type { Will } from '../kernel/feature'
import type { Logger } from '../kernel/log'
import { AckBatcher } from './ack-batcher'
import { applyProtocol, AUTH_REFUSALS, connectOptions, PROTOCOL_REFUSALS } from './connect-packet'
import { describeError, displayUrl } from './describe-error'
import { backoffDelay, DEFAULT_BACKOFF, type BackoffOptions } from './backoff'

export interface SessionConfig {
  url: string
  clientId: string
  username?: string
  password?: string
  ca?: string
  /** 'auto' tries MQTT 5 and falls back to 3.1.1 when the broker refuses it. */
  protocol: 'auto' | 4 | 5
  /** MQTT 5 session expiry: how long the broker keeps our subscriptions and queue while we are away. */
  sessionExpirySeconds: number
  keepaliveSeconds?: number
  /** A connection must stay up this long before the back-off starts over (default 30 s). */
  stableAfterMs?: number
  backoff?: BackoffOptions
  /** The Last Will, asked for before every CONNECT. */
  will?: () => Will | null
}

export interface PublishOptions {
  qos: 0 | 1 | 2
  retain?: boolean
  /** MQTT 5 Message Expiry: the broker drops it if not delivered within this many seconds. */
  expirySeconds?: number
}

export interface SessionHooks {
  /** What to (re)subscribe on every connection. */
  subscriptions(): ISubscriptionMap
  /**
   * Handles a batch of incoming PUBLISH packets. The broker gets their PUBACKs
   * only after this returns (or its promise resolves) — this is where the store
   * commits. A throw withholds the acks, so the broker delivers them again.
   */
  onMessages(packets: IPublishPacket[]): Promise<void> | void
  onConnected(info: { sessionPresent: boolean; protocolVersion: 4 | 5 }): void
  /**
   * A connection that had been up is gone (whatever was in flight may be lost).
   * `byUs`: we cut it ourselves (to get unacknowledged messages redelivered), so
   * nothing in flight is to blame.
   */
  onDisconnected?(info: { byUs: boolean }): void
  /** Runs before each connection attempt (the embedded broker starts itself here). */
  beforeConnect?(): Promise<void>
  onStatus(status: ConnectionStatus): void
}

/**
 * One persistent MQTT session: `clean: false` plus a session expiry, so the
 * broker queues QoS 1 messages while we are offline; our own jittered reconnect
 * instead of MQTT.js's fixed period.
 */
export class MqttSession {
  private client: MqttClient | null = null
  private version: 4 | 5
  private attempt = 0
  private timer: NodeJS.Timeout | null = null
  private stopped = false
  private connectedOnce = false
  private lastError: string | null = null
  private authRefused = false
  private status: ConnectionStatus
  /** From the start of a connection attempt until it connects or fails. */
  private attempting = false
  /** Bumped on every CONNACK: an ack may only go out on the connection its PUBLISH came in on. */
  private epoch = 0
  private readonly batcher: AckBatcher
  /** Resets the back-off once a connection has stayed up for a while. */
  private stableTimer: NodeJS.Timeout | null = null
  /** Set when we destroy the socket ourselves, until its close is handled. */
  private cutByUs = false

  constructor(
    private readonly config: SessionConfig,
    private readonly hooks: SessionHooks,
    private readonly log: Logger,
  ) {
    this.version = config.protocol === 4 ? 4 : 5
    this.batcher = new AckBatcher(
      {
        commit: (packets) => this.hooks.onMessages(packets),
        current: (client, epoch) => epoch === this.epoch && client === this.client && client.connected,
        cut: (client) => {
          if (client !== this.client || !client.connected) return
          this.cutByUs = true
          client.stream.destroy()
        },
      },
      log,
    )
    this.status = { state: 'idle', broker: displayUrl(config.url), detail: null, protocolVersion: null, retryInMs: null }
  }

  get connected(): boolean {
    return this.client?.connected === true
  }

  get currentStatus(): ConnectionStatus {
    return this.status
  }

  start(): void {
    this.stopped = false
    void this.attemptConnect()
  }

  /** Skips the back-off wait (the person pressed "Retry now"). */
  reconnectNow(): void {
    // An attempt already under way would be doubled (two sockets, or two broker start-ups).
    if (this.stopped || this.connected || this.attempting) return
    this.attempt = 0
    this.authRefused = false
    if (this.timer) clearTimeout(this.timer)
    this.timer = null
    void this.attemptConnect()
  }

  /**
   * Disconnects for good. `endSession` (MQTT 5) also asks the broker to drop our
   * session now (Session Expiry 0 on DISCONNECT) instead of keeping it for later.
   */
  async stop(opts: { endSession?: boolean } = {}): Promise<void> {
    this.stopped = true
    if (this.timer) clearTimeout(this.timer)
    this.timer = null
    this.clearStableTimer()
    const c = this.client
    this.client = null
    if (c) {
      const disconnect = opts.endSession && this.version === 5 ? { properties: { sessionExpiryInterval: 0 } } : {}
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, 2000)
        c.end(!c.connected, disconnect, () => {
          clearTimeout(t)
          resolve()
        })
      })
    }
    this.setStatus({ state: 'idle', detail: null, retryInMs: null })
  }

  get protocolVersion(): 4 | 5 {
    return this.version
  }

  publish(topic: string, payload: Buffer | string, opts: PublishOptions): Promise<void> {
    const c = this.client
    if (!c || !c.connected) return Promise.reject(new Error('not connected'))
    const properties = this.version === 5 && opts.expirySeconds ? { messageExpiryInterval: opts.expirySeconds } : undefined
    return new Promise((resolve, reject) => {
      c.publish(topic, payload, { qos: opts.qos, retain: opts.retain ?? false, ...(properties ? { properties } : {}) }, (err) =>
        err ? reject(err) : resolve(),
      )
    })
  }

  /**
   * Subscribes now (a route added while connected); the next connection gets it from
   * the hooks. Resolves on the SUBACK: true when the broker granted every filter,
   * false when it refused one, failed, or we are not connected.
   */
  subscribe(filters: ISubscriptionMap): Promise<boolean> {
    const c = this.client
    if (!c?.connected) return Promise.resolve(false)
    return new Promise((resolve) => {
      c.subscribe(filters, (err, granted) => resolve(this.checkGranted(err, granted)))
    })
  }

  unsubscribe(filters: string[]): void {
    const c = this.client
    if (c?.connected) c.unsubscribe(filters)
  }

  /** Logs what the broker refused; true when it granted everything. */
  private checkGranted(err: Error | null | undefined, granted: { topic: string; qos: number }[] | undefined): boolean {
    if (err) this.log.warn('subscribe failed', { error: err.message })
    let all = !err
    for (const g of granted ?? []) {
      if (g.qos >= 128) {
        this.log.warn('broker refused a subscription', { topic: g.topic, code: g.qos })
        all = false
      }
    }
    return all
  }

  private clearStableTimer(): void {
    if (this.stableTimer) clearTimeout(this.stableTimer)
    this.stableTimer = null
  }

  private setStatus(patch: Partial<ConnectionStatus>): void {
    this.status = { ...this.status, ...patch }
    this.hooks.onStatus(this.status)
  }

  private async attemptConnect(): Promise<void> {
    if (this.stopped || this.attempting) return
    this.attempting = true
    this.setStatus({ state: this.connectedOnce ? 'reconnecting' : 'connecting', retryInMs: null })
    try {
      await this.hooks.beforeConnect?.()
    } catch (err) {
      this.lastError = (err as Error).message
      this.attempting = false
      this.scheduleRetry()
      return
    }
    if (this.stopped) {
      this.attempting = false
      return
    }
    if (this.client) {
      applyProtocol(this.client.options, this.config, this.version)
      this.client.reconnect()
      return
    }
    this.client = this.createClient()
  }

  private createClient(): MqttClient {
    const cfg = this.config
    const client = mqtt.connect(cfg.url, connectOptions(cfg, this.version))
    let gotConnack = false
    // A socket error (ECONNREFUSED, ENOTFOUND…) means the broker is unreachable, not that it refuses MQTT 5.
    let socketError = false
    client.handleMessage = (packet, done) => this.batcher.receive(client, packet as IPublishPacket, done, this.epoch)
    client.on('connect', (connack) => {
      // Chat is many small packets both ways (publishes, PUBACKs, receipts): with Nagle on, a
      // publish waits behind an unacknowledged PUBACK for the peer's delayed ACK (~20-40 ms).
      ;(client.stream as { setNoDelay?: (on: boolean) => void }).setNoDelay?.(true)
      gotConnack = true
      socketError = false
      this.attempting = false
      this.epoch++
      this.connectedOnce = true
      this.lastError = null
      // The back-off starts over only once this connection proves stable: a broker that
      // accepts and then drops us at once is not hammered.
      this.clearStableTimer()
      this.stableTimer = setTimeout(() => {
        this.stableTimer = null
        this.attempt = 0
      }, this.config.stableAfterMs ?? 30_000)
      this.stableTimer.unref()
      const protocolVersion = this.version
      const subscriptions = this.hooks.subscriptions()
      if (Object.keys(subscriptions).length) client.subscribe(subscriptions, (err, granted) => this.checkGranted(err, granted))
      this.setStatus({ state: 'connected', detail: null, protocolVersion, retryInMs: null })
      this.hooks.onConnected({ sessionPresent: connack.sessionPresent, protocolVersion })
    })
    client.on('error', (err: Error & { code?: number | string }) => {
      this.lastError = describeError(err, this.status.broker ?? cfg.url)
      const code = typeof err.code === 'number' ? err.code : null
      if (typeof err.code === 'string') socketError = true
      if (code !== null && AUTH_REFUSALS.has(code)) this.authRefused = true
      if (!gotConnack && this.version === 5 && this.config.protocol === 'auto' && code !== null && PROTOCOL_REFUSALS.has(code)) {
        this.fallBackTo311(client)
      }
      this.log.warn('mqtt error', { error: err.message, code: err.code })
    })
    client.on('close', () => {
      if (this.stopped || client !== this.client) return
      this.clearStableTimer()
      if (gotConnack) this.hooks.onDisconnected?.({ byUs: this.cutByUs })
      this.cutByUs = false
      // A broker that closes an MQTT 5 CONNECT without any CONNACK (Aedes) does not speak 5.
      if (!this.connectedOnce && !gotConnack && !socketError && this.version === 5 && this.config.protocol === 'auto') {
        this.fallBackTo311(client)
      }
      gotConnack = false
      socketError = false
      this.attempting = false
      this.scheduleRetry()
    })
    return client
  }

  private fallBackTo311(client: MqttClient): void {
    if (this.version === 4) return
    this.log.info('broker refused MQTT 5; using MQTT 3.1.1')
    this.version = 4
    applyProtocol(client.options, this.config, this.version)
    this.attempt = Math.max(0, this.attempt - 1)
  }

  private scheduleRetry(): void {
    if (this.stopped || this.timer) return
    if (this.authRefused) {
      this.setStatus({ state: 'error', detail: `The broker refused the user name or password (${this.lastError ?? 'not authorized'}).`, retryInMs: null })
      return
    }
    const delay = this.connectedOnce || this.attempt > 0 ? backoffDelay(this.attempt, this.config.backoff ?? DEFAULT_BACKOFF) : 0
    this.attempt++
    this.setStatus({
      state: 'reconnecting',
      detail: this.lastError ?? `Cannot reach ${this.status.broker}.`,
      retryInMs: delay,
    })
    this.timer = setTimeout(() => {
      this.timer = null
      void this.attemptConnect()
    }, delay)
  }
}
