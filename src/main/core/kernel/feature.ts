import type Database from 'better-sqlite3'
import type { ParleyEvents, ParleyServices, ServiceName } from '../../../shared/contract'
import type { Migration } from '../store/migrations/types'
import type { Route, TopicRouter } from '../mqtt/router'
import type { Publisher } from '../mqtt/publisher'
import type { EventBus } from './event-bus'
import type { Logger } from './log'
import type { DrainOptions } from './legacy-session'
import type { Prefs } from './prefs'
import type { Codec } from '../protocol/codec'

/** Who this engine speaks for, once set up. */
export interface Account {
  user: string
  /** Topic root (seed 000's "IMS"). */
  root: string
  /** Public device id: in envelopes and presence topics. */
  deviceId: string
}

/** A Last Will: what the broker publishes for us when we vanish without saying goodbye. */
export interface Will {
  topic: string
  payload: Buffer
  qos: 0 | 1
  retain: boolean
  /** MQTT 5 Will Delay: a reconnect within this many seconds cancels it. */
  delaySeconds?: number
}

export interface ConnectionInfo {
  sessionPresent: boolean
  protocolVersion: 4 | 5
}

/** Timings the tests shorten; defaults are what people get. */
export interface CoreTuning {
  /** First re-offer of an unconfirmed message; doubles each time (default 60 s). */
  reofferBaseMs: number
  /** How long unconfirmed messages are offered again (default 7 days). */
  reofferWindowMs: number
  /** MQTT keepalive (default 30 s). */
  keepaliveSeconds: number
  /** MQTT 5 Will Delay of the presence Last Will: a reconnect within it does not flicker "offline" (default 5 s). */
  willDelaySeconds: number
  /** A connection must stay up this long before the reconnect back-off starts over (default 30 s). */
  stableAfterMs: number
  /** How the session of a pre-secret client id is emptied after an upgrade. */
  legacyDrain: DrainOptions
}

export const DEFAULT_TUNING: CoreTuning = {
  reofferBaseMs: 60_000,
  reofferWindowMs: 7 * 24 * 3600_000,
  keepaliveSeconds: 30,
  willDelaySeconds: 5,
  legacyDrain: {},
  stableAfterMs: 30_000,
}

/** What the kernel gives every feature. */
export interface FeatureContext {
  readonly db: Database.Database
  readonly log: Logger
  /** The engine's outward events (the contract's ParleyEvents). */
  readonly events: EventBus<ParleyEvents>
  readonly router: TopicRouter
  readonly publisher: Publisher
  readonly prefs: Prefs
  /** Envelopes to and from payloads, through the one seal/open step. */
  readonly codec: Codec
  readonly tuning: CoreTuning
  /** The data directory (settings.json, history.db): where a feature keeps files of its own, e.g. exports. */
  readonly dataDir: string
  /** The signed-in account, or null before set-up. */
  account(): Account | null
  /** The account, or a ParleyError that says to set up first. */
  requireAccount(): Account
  connected(): boolean
  /** Adds a route now (and subscribes, when connected); routes() still decides what each new connection gets. */
  addRoute(route: Route): void
  /** Removes a route now (and unsubscribes, when connected). */
  removeRoute(filter: string): void
  /**
   * Subscribes again to the routes that accept retained state (those whose filter
   * `only` picks, else all), so the broker sends that state again: after an unblock,
   * that person's presence and profile.
   */
  replayRetained(only?: (filter: string) => boolean): void
  /** The API of a feature this one declared in `dependsOn`. */
  use<T>(feature: string): T
}

export interface FeatureInstance {
  /** The feature's part of ParleyServices (its contract's service), if it has one. */
  service?: unknown
  /** What other features may use (through `dependsOn` and ctx.use). */
  api?: unknown
  /** The routes to subscribe for this account, read before every connection. */
  routes?(account: Account): Route[]
  /** At most one feature contributes the connection's Last Will. */
  will?(account: Account): Will | null
  onConnected?(info: ConnectionInfo): void
  onDisconnected?(): void
  /** The account was set up or changed (null: none yet). */
  onAccount?(account: Account | null): void
  /** Before the session closes for good, while it may still publish (a goodbye). */
  beforeClose?(): Promise<void>
  close?(): void
}

export interface Feature<N extends string = string> {
  name: N
  /** Features whose `api` this one uses; registered before it. */
  dependsOn?: readonly string[]
  /** This feature's migrations: one file each, numbered in the one global order. */
  migrations?: readonly Migration[]
  create(ctx: FeatureContext): FeatureInstance & (N extends ServiceName ? { service: ParleyServices[N] } : unknown)
}

/** Keeps the literal name, so a feature named like a contract service must provide that service. */
export function defineFeature<N extends string>(f: Feature<N>): Feature<N> {
  return f
}
