import type { IPublishPacket, ISubscriptionMap } from 'mqtt'
import type { Logger } from '../kernel/log'
import { topicMatches } from '../../../shared/protocol/topics'

/** What a route's handler may hand back: work to do once the batch is committed and acknowledged. */
export type AfterCommit = (() => void) | void

export interface Route {
  /** The MQTT subscription filter. */
  filter: string
  qos: 0 | 1 | 2
  /**
   * 'drop': a retained message here is stale or forged (an inbox), so it is dropped
   * with a logged reason; 'accept': retained state is the point (presence, profiles).
   */
  retained: 'drop' | 'accept'
  /**
   * Handles this route's packets of one batch, inside the batch's SQLite
   * transaction: what it writes commits before the broker gets the PUBACKs. A
   * throw rolls the whole batch back and withholds its acks.
   */
  handle(packets: readonly IPublishPacket[]): AfterCommit
}

export interface RouterHooks {
  /** Runs `fn` in one store transaction. */
  transaction<T>(fn: () => T): T
  /** A route was added or removed while connected: (un)subscribe now (the promise, if any, settles on the SUBACK). */
  subscribe(filters: ISubscriptionMap): void | Promise<boolean>
  unsubscribe(filters: string[]): void
}

/** Cached topic → route decisions; a chat has few distinct topics and many messages. */
const MAX_CACHED_TOPICS = 4096

/**
 * Maps incoming topics to the feature that handles them. Features declare routes;
 * the session subscribes to their filters on every connection and hands each
 * batch of packets here. Handlers run grouped by route, all in one transaction.
 */
export class TopicRouter {
  private readonly routes = new Map<string, Route>()
  private cache = new Map<string, Route | null>()

  constructor(
    private readonly hooks: RouterHooks,
    private readonly log: Logger,
  ) {}

  /** Replaces every route (on set-up and before each connection). */
  reset(routes: readonly Route[]): void {
    this.routes.clear()
    for (const r of routes) this.routes.set(r.filter, r)
    this.cache = new Map()
  }

  /** Adds a route at run time (e.g. a new contact's presence) and subscribes to it if connected. */
  add(route: Route, connected: boolean): void {
    const had = this.routes.has(route.filter)
    this.routes.set(route.filter, route)
    this.cache = new Map()
    if (!had && connected) this.hooks.subscribe({ [route.filter]: subscriptionOptions(route) })
  }

  /**
   * Adds several routes in one SUBSCRIBE (e.g. a batch of short-lived lookups).
   * Resolves on the broker's SUBACK: true when every new filter was granted, so
   * their retained messages are on their way; false when not connected or refused.
   */
  async addAll(routes: readonly Route[], connected: boolean): Promise<boolean> {
    const fresh: ISubscriptionMap = {}
    for (const r of routes) {
      if (!this.routes.has(r.filter)) fresh[r.filter] = subscriptionOptions(r)
      this.routes.set(r.filter, r)
    }
    this.cache = new Map()
    if (!connected) return false
    if (Object.keys(fresh).length === 0) return true
    return (await this.hooks.subscribe(fresh)) ?? false
  }

  /** Removes several routes in one UNSUBSCRIBE. */
  removeAll(filters: readonly string[], connected: boolean): void {
    const gone = filters.filter((f) => this.routes.delete(f))
    if (gone.length === 0) return
    this.cache = new Map()
    if (connected) this.hooks.unsubscribe(gone)
  }

  remove(filter: string, connected: boolean): void {
    if (!this.routes.delete(filter)) return
    this.cache = new Map()
    if (connected) this.hooks.unsubscribe([filter])
  }

  has(filter: string): boolean {
    return this.routes.has(filter)
  }

  /** The subscriptions of routes that keep retained state (presence, profiles), those `only` picks: subscribing again replays it. */
  retainedSubscriptions(only: (filter: string) => boolean = () => true): ISubscriptionMap {
    const map: ISubscriptionMap = {}
    for (const r of this.routes.values()) if (r.retained === 'accept' && only(r.filter)) map[r.filter] = subscriptionOptions(r)
    return map
  }

  subscriptions(): ISubscriptionMap {
    const map: ISubscriptionMap = {}
    for (const r of this.routes.values()) map[r.filter] = subscriptionOptions(r)
    return map
  }

  match(topic: string): Route | null {
    const cached = this.cache.get(topic)
    if (cached !== undefined) return cached
    let found: Route | null = null
    for (const r of this.routes.values()) {
      if (topicMatches(r.filter, topic)) {
        found = r
        break
      }
    }
    if (this.cache.size >= MAX_CACHED_TOPICS) this.cache = new Map()
    this.cache.set(topic, found)
    return found
  }

  /**
   * One batch: route each packet, drop what no route wants, run the handlers in
   * one transaction, then (after the session has sent the PUBACKs) their
   * after-commit work.
   */
  dispatch(packets: readonly IPublishPacket[]): void {
    const groups = new Map<Route, IPublishPacket[]>()
    for (const p of packets) {
      const route = this.match(p.topic)
      if (!route) {
        this.log.warn('dropped a message on a topic nothing handles', { topic: p.topic })
        continue
      }
      if (p.retain && route.retained === 'drop') {
        this.log.warn('dropped a retained message', { topic: p.topic })
        continue
      }
      const g = groups.get(route)
      if (g) g.push(p)
      else groups.set(route, [p])
    }
    if (groups.size === 0) return
    const after = this.hooks.transaction(() => {
      const work: (() => void)[] = []
      for (const [route, ps] of groups) {
        const then = route.handle(ps)
        if (then) work.push(then)
      }
      return work
    })
    if (after.length) setImmediate(() => after.forEach((fn) => fn()))
  }
}

/**
 * Retain As Published (MQTT 5) keeps the RETAIN flag on retained messages that
 * arrive while we are subscribed, so a 'drop' route can recognise them; MQTT 3.1.1
 * brokers ignore the option (docs/protocol.md says what that means).
 */
function subscriptionOptions(r: Route): { qos: 0 | 1 | 2; rap: boolean } {
  return { qos: r.qos, rap: r.retained === 'drop' }
}
