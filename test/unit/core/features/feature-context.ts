/**
 * Features on their own, wired as the kernel wires them: a fresh history, and a
 * FeatureContext whose routes follow a FakeSession's connection and whose `use`
 * answers from the APIs the test hands it (real features or stand-ins).
 */
import { tmpdir } from 'node:os'
import Database from 'better-sqlite3'
import type { ParleyEvents } from '../../../../src/shared/contract'
import { ALL_MIGRATIONS } from '../../../../src/main/core/features'
import type { EventBus } from '../../../../src/main/core/kernel/event-bus'
import { DEFAULT_TUNING, type Account, type FeatureContext } from '../../../../src/main/core/kernel/feature'
import type { Logger } from '../../../../src/main/core/kernel/log'
import { Prefs } from '../../../../src/main/core/kernel/prefs'
import type { Publisher } from '../../../../src/main/core/mqtt/publisher'
import type { TopicRouter } from '../../../../src/main/core/mqtt/router'
import type { Codec } from '../../../../src/main/core/protocol/codec'
import { migrate } from '../../../../src/main/core/store/migrate'
import type { FakeSession } from '../mqtt/fake-session'

export const ALICE: Account = { user: 'alice', root: 'IMS', deviceId: 'alice-dev' }

/** A fresh in-memory history with every migration, foreign keys on as the engine has them. */
export function freshHistory(): Database.Database {
  const db = new Database(':memory:')
  db.pragma('foreign_keys = ON')
  migrate(db, ALL_MIGRATIONS)
  return db
}

export interface ContextParts {
  db: Database.Database
  log: Logger
  events: EventBus<ParleyEvents>
  router: TopicRouter
  publisher: Publisher
  codec: Codec
  session: FakeSession
  /** What `use(name)` returns, by feature name; the test adds to it as it creates features. */
  apis: Map<string, unknown>
  replayRetained?: (only?: (filter: string) => boolean) => void
  /** The data directory features see (default: the system's temp folder). */
  dataDir?: string
}

/** The context alice's features get, with the engine's timings but a one-day re-offer window. */
export function featureContext(p: ContextParts): FeatureContext {
  return {
    db: p.db,
    log: p.log,
    events: p.events,
    router: p.router,
    publisher: p.publisher,
    prefs: new Prefs(p.db, p.log),
    codec: p.codec,
    tuning: { ...DEFAULT_TUNING, reofferWindowMs: 86_400_000 },
    dataDir: p.dataDir ?? tmpdir(),
    account: () => ALICE,
    requireAccount: () => ALICE,
    connected: () => p.session.connected,
    addRoute: (r) => p.router.add(r, p.session.connected),
    removeRoute: (f) => p.router.remove(f, p.session.connected),
    replayRetained: p.replayRetained ?? (() => {}),
    use: <T>(name: string) => p.apis.get(name) as T,
  }
}
