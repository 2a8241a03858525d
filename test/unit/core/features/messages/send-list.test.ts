import type Database from 'better-sqlite3'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { ChatMessage, MessageService, ParleyEvents } from '../../../../../src/shared/contract'
import { EnvelopeSchema } from '../../../../../src/shared/protocol/envelope'
import { conversationsFeature } from '../../../../../src/main/core/features/conversations'
import { messagesFeature } from '../../../../../src/main/core/features/messages'
import type { MessagesApi } from '../../../../../src/main/core/features/messages/api'
import { EventBus } from '../../../../../src/main/core/kernel/event-bus'
import { silentLogger } from '../../../../../src/main/core/kernel/log'
import { Publisher } from '../../../../../src/main/core/mqtt/publisher'
import { TopicRouter } from '../../../../../src/main/core/mqtt/router'
import { Codec } from '../../../../../src/main/core/protocol/codec'
import { FakeSession, settle } from '../../mqtt/fake-session'
import { featureContext, freshHistory } from '../feature-context'

/** messages.sendToMany: one text, one message and outbox entry per recipient, all or nothing. */
describe('messages feature: sending to a list', () => {
  let db: Database.Database
  let session: FakeSession
  let publisher: Publisher
  let service: MessageService
  let api: MessagesApi
  let events: ChatMessage[]
  let closers: (() => void)[] = []
  const outbox = () => db.prepare(`SELECT owner, ref, topic FROM outbox ORDER BY rowid`).all()
  const stored = () => db.prepare(`SELECT id, conversation_id AS c, status FROM messages ORDER BY rowid`).all() as { id: string; c: string; status: string }[]

  beforeEach(() => {
    db = freshHistory()
    session = new FakeSession()
    publisher = new Publisher(db, () => session.asSession(), silentLogger, { reofferBaseMs: 60_000, reofferWindowMs: 86_400_000 })
    const router = new TopicRouter({ transaction: (fn) => db.transaction(fn)(), subscribe() {}, unsubscribe() {} }, silentLogger)
    const bus = new EventBus<ParleyEvents>()
    events = []
    bus.onAny((event, payload) => event === 'message' && events.push(payload as ChatMessage))
    const apis = new Map<string, unknown>()
    const ctx = featureContext({ db, log: silentLogger, events: bus, router, publisher, codec: new Codec(), session, apis })
    const conversations = conversationsFeature.create(ctx)
    apis.set('conversations', conversations.api)
    const messages = messagesFeature.create(ctx)
    closers = [() => conversations.close?.(), () => messages.close?.()]
    api = messages.api as MessagesApi
    service = messages.service
  })
  afterEach(() => {
    for (const c of closers.splice(0)) c()
    publisher.close()
    db.close()
  })

  it('stores one message per recipient in their 1:1 chat, each with its own id and outbox entry; a name twice gets one', async () => {
    session.connected = false
    const sent = await service.sendToMany({ to: ['bob', 'carol', 'bob', 'dave'], text: 'Lunch?' })
    expect(sent.map((m) => [m.conversationId, m.status, m.text])).toEqual([
      ['dm:bob', 'pending', 'Lunch?'],
      ['dm:carol', 'pending', 'Lunch?'],
      ['dm:dave', 'pending', 'Lunch?'],
    ])
    expect(new Set(sent.map((m) => m.id)).size).toBe(3)
    expect(outbox()).toEqual(sent.map((m) => ({ owner: 'messages', ref: m.id, topic: `IMS/${m.conversationId.slice(3)}/Inbox/Msg/alice` })))
    expect(events.map((m) => m.id)).toEqual(sent.map((m) => m.id))

    session.connected = true
    session.autoAck = true
    publisher.onConnected()
    await settle()
    expect(session.payloads.map((p) => EnvelopeSchema.parse(JSON.parse(p)).id).sort()).toEqual(sent.map((m) => m.id).sort())
    expect(stored().map((r) => r.status)).toEqual(['sent', 'sent', 'sent'])
  })

  it('all or nothing: when storing one recipient fails, none is stored or queued', async () => {
    session.connected = false
    let n = 0
    api.onSent(() => {
      if (++n === 2) throw new Error('disk full')
    })
    await expect(service.sendToMany({ to: ['bob', 'carol', 'dave'], text: 'x' })).rejects.toThrow('disk full')
    expect(stored()).toEqual([])
    expect(outbox()).toEqual([])
    expect(events).toEqual([])
  })

  it('refuses an empty list and bad names', async () => {
    await expect(service.sendToMany({ to: [], text: 'x' })).rejects.toThrow(/at least one recipient/)
    await expect(service.sendToMany({ to: ['bob', 'a/b'], text: 'x' })).rejects.toThrow()
    expect(stored()).toEqual([])
  })
})
