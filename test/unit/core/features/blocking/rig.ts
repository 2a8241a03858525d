/**
 * Blocking and moments on a real history, router, publisher and codec, wired as
 * the kernel wires them, over a FakeSession; devices and contacts are stand-ins
 * the test drives (their own features are tested on their own).
 */
import type Database from 'better-sqlite3'
import type { IPublishPacket } from 'mqtt'
import type { z } from 'zod'
import type { BlockingService, Contact, ContactsChange, MomentsService, ParleyEvents } from '../../../../../src/shared/contract'
import { blockingFeature } from '../../../../../src/main/core/features/blocking'
import type { BlockingApi } from '../../../../../src/main/core/features/blocking/api'
import type { ContactsApi } from '../../../../../src/main/core/features/contacts/api'
import type { DevicesApi, SharedOrigin } from '../../../../../src/main/core/features/devices/api'
import { momentsFeature } from '../../../../../src/main/core/features/moments'
import { EventBus } from '../../../../../src/main/core/kernel/event-bus'
import { MemoryLog } from '../../../../helpers/memory-log'
import { Publisher } from '../../../../../src/main/core/mqtt/publisher'
import { TopicRouter, type AfterCommit } from '../../../../../src/main/core/mqtt/router'
import { Codec } from '../../../../../src/main/core/protocol/codec'
import { FakeSession, settle } from '../../mqtt/fake-session'
import { ALICE, featureContext, freshHistory } from '../feature-context'

type SharedHandler = (data: unknown, origin: SharedOrigin) => AfterCommit

/** What the devices feature would do: records shares, keeps handlers so the test can deliver items. */
export class FakeDevices implements DevicesApi {
  readonly shared: { kind: string; data: unknown }[] = []
  readonly handlers = new Map<string, { schema: z.ZodType<unknown>; handler: SharedHandler }>()
  share(kind: string, data: unknown): void {
    this.shared.push({ kind, data })
  }
  onShared<T>(kind: string, schema: z.ZodType<T>, handler: (data: T, origin: SharedOrigin) => AfterCommit): void {
    this.handlers.set(kind, { schema, handler: handler as SharedHandler })
  }
}

/** Accepted contacts the test sets; `change` tells listeners as the contacts feature would after a commit. */
export class FakeContacts implements ContactsApi {
  list: string[] = []
  private readonly listeners: ((c: ContactsChange) => void)[] = []
  isContact = (user: string): boolean => this.list.includes(user)
  state = (user: string): 'contact' | null => (this.list.includes(user) ? 'contact' : null)
  contacts = (): string[] => [...this.list]
  onChange(l: (c: ContactsChange) => void): void {
    this.listeners.push(l)
  }
  set(list: string[]): void {
    const removed = this.list.filter((u) => !list.includes(u))
    this.list = list
    const changed: Contact[] = list.map((user) => ({ user, state: 'contact', note: null, since: 1, expiresAt: null }))
    for (const l of this.listeners) l({ changed, removed })
  }
}

export interface Rig {
  db: Database.Database
  session: FakeSession
  router: TopicRouter
  publisher: Publisher
  codec: Codec
  log: MemoryLog
  devices: FakeDevices
  contacts: FakeContacts
  blocking: BlockingService
  blockingApi: BlockingApi
  moments: MomentsService
  events: { event: keyof ParleyEvents; payload: unknown }[]
  replays: number
  /** Routes as a new connection would get them (features' routes()). */
  connect(): void
  /** Delivers packets through the router, as the session hands a batch over, and lets after-commit work run. */
  deliver(...packets: { topic: string; payload: string | Buffer; retain?: boolean }[]): Promise<void>
  /** As on a restart: the features built again over the same history. */
  restart(): Rig
  close(): void
}

export function openRig(db?: Database.Database): Rig {
  const history = db ?? freshHistory()
  const session = new FakeSession()
  session.autoAck = true
  const log = new MemoryLog('alice')
  const publisher = new Publisher(history, () => session.asSession(), log, { reofferBaseMs: 60_000, reofferWindowMs: 86_400_000 })
  const router = new TopicRouter({ transaction: (fn) => history.transaction(fn)(), subscribe() {}, unsubscribe() {} }, log)
  const codec = new Codec()
  const bus = new EventBus<ParleyEvents>()
  const devices = new FakeDevices()
  const contacts = new FakeContacts()
  const apis = new Map<string, unknown>([
    ['devices', devices],
    ['contacts', contacts],
  ])
  const rig = { replays: 0, events: [] } as unknown as Rig
  bus.onAny((event, payload) => rig.events.push({ event, payload }))
  const ctx = featureContext({ db: history, log, events: bus, router, publisher, codec, session, apis, replayRetained: () => void rig.replays++ })
  const blocking = blockingFeature.create(ctx)
  apis.set('blocking', blocking.api)
  const moments = momentsFeature.create(ctx)
  Object.assign(rig, {
    db: history,
    session,
    router,
    publisher,
    codec,
    log,
    devices,
    contacts,
    blocking: blocking.service,
    blockingApi: blocking.api as BlockingApi,
    moments: moments.service,
    connect() {
      router.reset([...(blocking.routes?.(ALICE) ?? []), ...(moments.routes?.(ALICE) ?? [])])
      publisher.onConnected()
    },
    async deliver(...packets: { topic: string; payload: string | Buffer; retain?: boolean }[]) {
      router.dispatch(
        packets.map((p) => ({ cmd: 'publish', topic: p.topic, payload: Buffer.from(p.payload), retain: p.retain ?? false, qos: 1, dup: false }) as IPublishPacket),
      )
      await settle()
    },
    restart() {
      publisher.close()
      return openRig(history)
    },
    close() {
      publisher.close()
      history.close()
    },
  })
  return rig
}
