/**
 * The history feature on a real history database, with the conversations and
 * messages features wired as the kernel wires them (no broker: export and import
 * never touch the network), its `historyJob` events recorded.
 */
import type Database from 'better-sqlite3'
import { afterEach } from 'vitest'
import type { HistoryJob, HistoryService, MessageService, ParleyEvents } from '../../../../../src/shared/contract'
import { conversationsFeature, type ConversationsApi } from '../../../../../src/main/core/features/conversations'
import { historyFeature } from '../../../../../src/main/core/features/history'
import { messagesFeature } from '../../../../../src/main/core/features/messages'
import type { MessagesApi } from '../../../../../src/main/core/features/messages/api'
import { MessageStore, type NewMessage } from '../../../../../src/main/core/features/messages/store'
import { EventBus } from '../../../../../src/main/core/kernel/event-bus'
import { silentLogger } from '../../../../../src/main/core/kernel/log'
import { Publisher } from '../../../../../src/main/core/mqtt/publisher'
import { TopicRouter } from '../../../../../src/main/core/mqtt/router'
import { Codec } from '../../../../../src/main/core/protocol/codec'
import { tmpDirs } from '../../../../helpers/tmp-dir'
import { FakeSession } from '../../mqtt/fake-session'
import { featureContext, freshHistory } from '../feature-context'

export interface HistoryWorld {
  db: Database.Database
  service: HistoryService
  messages: MessagesApi
  /** The messages feature's service (delete a message, as the person does). */
  messageService: MessageService
  conversations: ConversationsApi
  session: FakeSession
  /** Every historyJob event so far. */
  jobs: HistoryJob[]
  /** Stores messages as the receive path would (the history to export). */
  seed(rows: readonly NewMessage[]): void
  /** The job's last event once it is over (done, failed or cancelled). */
  finished(id: string, timeoutMs?: number): Promise<HistoryJob>
  rows(): { id: string; conversation_id: string; sender: string; direction: string; ts: number; text: string; status: string }[]
  close(): void
}

export function historyWorld(dataDir: string): HistoryWorld {
  const db = freshHistory()
  const session = new FakeSession()
  const publisher = new Publisher(db, () => session.asSession(), silentLogger, { reofferBaseMs: 60_000, reofferWindowMs: 86_400_000 })
  const router = new TopicRouter({ transaction: (fn) => db.transaction(fn)(), subscribe() {}, unsubscribe() {} }, silentLogger)
  const bus = new EventBus<ParleyEvents>()
  const jobs: HistoryJob[] = []
  bus.on('historyJob', (j) => void jobs.push(j))
  const apis = new Map<string, unknown>()
  const ctx = featureContext({ db, log: silentLogger, events: bus, router, publisher, codec: new Codec(), session, apis, dataDir })
  const conversations = conversationsFeature.create(ctx)
  apis.set('conversations', conversations.api)
  const messages = messagesFeature.create(ctx)
  apis.set('messages', messages.api)
  const history = historyFeature.create(ctx)
  const store = new MessageStore(db, (conversations.api as ConversationsApi).store)
  return {
    db,
    service: history.service,
    messages: messages.api as MessagesApi,
    messageService: messages.service,
    conversations: conversations.api as ConversationsApi,
    session,
    jobs,
    seed: (rows) => void store.insertMany(rows),
    async finished(id, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs
      for (;;) {
        const last = jobs.filter((j) => j.id === id).at(-1)
        if (last && last.state !== 'running') return last
        if (Date.now() > deadline) throw new Error(`job ${id} did not finish within ${timeoutMs} ms`)
        await new Promise((r) => setTimeout(r, 5))
      }
    },
    rows: () =>
      db.prepare(`SELECT id, conversation_id, sender, direction, ts, text, status FROM messages ORDER BY conversation_id, ts, id`).all() as ReturnType<
        HistoryWorld['rows']
      >,
    close() {
      history.close?.()
      messages.close?.()
      conversations.close?.()
      publisher.close()
      db.close()
    },
  }
}

/**
 * For a describe block: `world()` makes a history world on a new data dir (or the
 * one given); each is closed and every dir removed after each test. `dirs` makes more.
 */
export function useHistoryWorlds(prefix: string): { world: (dir?: string) => { w: HistoryWorld; dir: string }; dirs: ReturnType<typeof tmpDirs> } {
  const dirs = tmpDirs(prefix)
  const worlds: HistoryWorld[] = []
  afterEach(() => {
    for (const w of worlds.splice(0)) w.close()
    dirs.cleanup()
  })
  const world = (dir = dirs.make()) => {
    const w = historyWorld(dir)
    worlds.push(w)
    return { w, dir }
  }
  return { world, dirs }
}
