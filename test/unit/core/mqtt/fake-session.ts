import Database from 'better-sqlite3'
import { vi, type Mock } from 'vitest'
import { ALL_MIGRATIONS } from '../../../../src/main/core/features'
import { silentLogger, type Logger } from '../../../../src/main/core/kernel/log'
import { Publisher, type PublisherOptions } from '../../../../src/main/core/mqtt/publisher'
import { migrate } from '../../../../src/main/core/store/migrate'
import type { MqttSession, PublishOptions } from '../../../../src/main/core/mqtt/session'

export interface SentPublish {
  topic: string
  payload: Buffer
  opts: PublishOptions
  /** The broker's PUBACK. */
  ack(): void
  /** A PUBACK with an MQTT 5 reason code (≥ 0x80 is a refusal), or a lost publish (no code). */
  fail(code?: number, message?: string): void
  settled: boolean
}

/**
 * Just what the publisher uses of an MqttSession: `connected` and `publish`. Each
 * publish waits for the test to ack or fail it, unless `autoAck` is on.
 */
export class FakeSession {
  connected = true
  autoAck = false
  readonly sent: SentPublish[] = []

  publish(topic: string, payload: Buffer | string, opts: PublishOptions): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const p: SentPublish = {
        topic,
        payload: Buffer.from(payload),
        opts,
        settled: false,
        ack: () => {
          p.settled = true
          resolve()
        },
        fail: (code, message = 'publish failed') => {
          p.settled = true
          reject(Object.assign(new Error(message), code === undefined ? {} : { code }))
        },
      }
      this.sent.push(p)
      if (this.autoAck) p.ack()
    })
  }

  /** Topics (or payload texts) of what was published, in order. */
  get topics(): string[] {
    return this.sent.map((p) => p.topic)
  }

  get payloads(): string[] {
    return this.sent.map((p) => p.payload.toString())
  }

  asSession(): MqttSession {
    return this as unknown as MqttSession
  }
}

/** Lets setImmediate callbacks and promise continuations run. */
export const settle = async (rounds = 3): Promise<void> => {
  for (let i = 0; i < rounds; i++) await new Promise((r) => setImmediate(r))
}

export interface OutboxRow {
  owner: string
  ref: string
  topic: string
  state: string
  reoffer: number
  drops: number
  offers: number
}

export interface PublisherRig {
  db: Database.Database
  session: FakeSession
  publisher: Publisher
  log: Logger & { info: Mock; warn: Mock; error: Mock }
  /** What the 'messages' owner was told. */
  acked: string[]
  failed: [string, string][]
  rows(): OutboxRow[]
  /** Enqueues for the 'messages' owner; the payload is the ref. */
  enqueue(ref: string, topic?: string, reoffer?: boolean): void
  /** Replaces the session (null: none at all). */
  setSession(s: FakeSession | null): void
  close(): void
}

/** A publisher over a fresh migrated in-memory history and a FakeSession, with its handlers' calls recorded. */
export function publisherRig(opts: PublisherOptions = { reofferBaseMs: 60_000, reofferWindowMs: 7 * 86_400_000 }): PublisherRig {
  const db = new Database(':memory:')
  migrate(db, ALL_MIGRATIONS)
  const session = new FakeSession()
  let current: FakeSession | null = session
  const log = { ...silentLogger, info: vi.fn(), warn: vi.fn(), error: vi.fn() }
  const publisher = new Publisher(db, () => current?.asSession() ?? null, log, opts)
  const acked: string[] = []
  const failed: [string, string][] = []
  publisher.register('messages', { acked: (ref) => acked.push(ref), failed: (ref, reason) => failed.push([ref, reason]) })
  const rows = () => db.prepare(`SELECT owner, ref, topic, state, reoffer, drops, offers FROM outbox ORDER BY rowid`).all() as OutboxRow[]
  const enqueue = (ref: string, topic = `IMS/bob/Inbox/Msg/alice`, reoffer = false) =>
    publisher.enqueue({ owner: 'messages', ref, topic, payload: Buffer.from(ref), reoffer })
  return {
    db,
    session,
    publisher,
    log,
    acked,
    failed,
    rows,
    enqueue,
    setSession(s: FakeSession | null) {
      current = s
    },
    close() {
      publisher.close()
      db.close()
    },
  }
}
