import type Database from 'better-sqlite3'
import type { IPublishPacket } from 'mqtt'
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
import { Codec, encodeEnvelope, textEnvelope } from '../../../../../src/main/core/protocol/codec'
import { FakeSession, settle } from '../../mqtt/fake-session'
import { ALICE, featureContext, freshHistory } from '../feature-context'

/**
 * The messages feature on a real history, router and publisher, as the kernel wires
 * them, over a FakeSession: what used to be the Outbox's job (publish every pending
 * message as a QoS 1 envelope to the peer's inbox, then mark it sent) end to end.
 */
describe('messages feature: sending through the publisher', () => {
  let db: Database.Database
  let session: FakeSession
  let publisher: Publisher
  let router: TopicRouter
  let service: MessageService
  let api: MessagesApi
  let events: { event: string; payload: unknown }[]
  let closers: (() => void)[] = []
  const outbox = () => db.prepare(`SELECT owner, ref, state, reoffer FROM outbox ORDER BY rowid`).all()
  const messageEvents = () => events.filter((e) => e.event === 'message').map((e) => e.payload as ChatMessage)

  const create = () => {
    const bus = new EventBus<ParleyEvents>()
    events = []
    bus.onAny((event, payload) => events.push({ event, payload }))
    const apis = new Map<string, unknown>()
    const ctx = featureContext({ db, log: silentLogger, events: bus, router, publisher, codec: new Codec(), session, apis })
    const conversations = conversationsFeature.create(ctx)
    apis.set('conversations', conversations.api)
    const messages = messagesFeature.create(ctx)
    closers = [() => conversations.close?.(), () => messages.close?.()]
    api = messages.api as MessagesApi
    service = messages.service
    return messages
  }

  beforeEach(() => {
    db = freshHistory()
    session = new FakeSession()
    publisher = new Publisher(db, () => session.asSession(), silentLogger, { reofferBaseMs: 60_000, reofferWindowMs: 86_400_000 })
    router = new TopicRouter({ transaction: (fn) => db.transaction(fn)(), subscribe() {}, unsubscribe() {} }, silentLogger)
  })
  afterEach(() => {
    // As the kernel closes: features first, then the publisher, then the database.
    for (const c of closers.splice(0)) c()
    publisher.close()
    db.close()
  })

  it("publishes a sent message as a QoS 1 text envelope to the peer's inbox, then marks it sent", async () => {
    create()
    const m = await service.send({ conversationId: 'dm:bob', text: 'hi bob' })
    expect(m).toMatchObject({ conversationId: 'dm:bob', sender: 'alice', direction: 'out', status: 'pending', text: 'hi bob', error: null })
    await settle()
    expect(session.topics).toEqual(['IMS/bob/Inbox/Msg/alice'])
    expect(session.sent[0]!.opts).toEqual({ qos: 1 })
    const e = EnvelopeSchema.parse(JSON.parse(session.payloads[0]!))
    expect(e).toMatchObject({ id: m.id, type: 'text', from: 'alice', dev: 'alice-dev', ts: m.ts, seq: 1, body: { text: 'hi bob' } })
    session.sent[0]!.ack()
    await settle()
    expect(messageEvents().map((x) => x.status)).toEqual(['pending', 'sent'])
    expect((await service.page({ conversationId: 'dm:bob' })).messages[0]!.status).toBe('sent')
    // 1:1 messages stay offered until a delivery receipt confirms them.
    expect(outbox()).toEqual([{ owner: 'messages', ref: m.id, state: 'acked', reoffer: 1 }])
    expect(api.advance('bob', [m.id], 'delivered').map((x) => x.status)).toEqual(['delivered'])
    expect(outbox()).toEqual([])
  })

  it('messages written before the outbox existed are put in it once and sent', async () => {
    const e = textEnvelope('alice', 'alice-dev', 'from the old outbox', 7)
    db.prepare(`INSERT INTO conversations (id, kind, peer, title, updated_at, created_at) VALUES ('dm:bob', 'dm', 'bob', 'bob', 1, 1)`).run()
    db.prepare(
      `INSERT INTO messages (id, conversation_id, sender, sender_device, direction, ts, seq, text, status, received_at)
       VALUES (?, 'dm:bob', 'alice', 'alice-dev', 'out', ?, 7, 'from the old outbox', 'pending', 1)`,
    ).run(e.id, e.ts)
    const messages = create()
    messages.onAccount?.(ALICE)
    messages.onAccount?.(ALICE) // twice: still one outbox row
    expect(outbox()).toEqual([{ owner: 'messages', ref: e.id, state: 'queued', reoffer: 1 }])
    session.autoAck = true
    await settle()
    expect(session.sent).toHaveLength(1)
    expect(EnvelopeSchema.parse(JSON.parse(session.payloads[0]!))).toEqual(e)
    expect(messageEvents().map((x) => [x.id, x.status])).toEqual([[e.id, 'sent']])
  })

  it('a refusal marks the message failed with the reason; retry sends it again', async () => {
    create()
    const m = await service.send({ conversationId: 'dm:bob', text: 'x' })
    await settle()
    session.sent[0]!.fail(0x87)
    await settle()
    expect(messageEvents().at(-1)).toMatchObject({ id: m.id, status: 'failed', error: expect.stringMatching(/not authorized/) })
    session.autoAck = true
    expect(await service.retry(m.id)).toMatchObject({ status: 'pending', error: null })
    await settle()
    expect(session.sent).toHaveLength(2)
    expect(messageEvents().at(-1)).toMatchObject({ id: m.id, status: 'sent' })
  })

  it('remove deletes the message and forgets its publish', async () => {
    create()
    session.connected = false
    const m = await service.send({ conversationId: 'dm:bob', text: 'oops' })
    await service.remove(m.id)
    expect(outbox()).toEqual([])
    expect(events.at(-1)).toEqual({ event: 'messageRemoved', payload: { id: m.id, conversationId: 'dm:bob' } })
    await expect(service.remove(m.id)).rejects.toMatchObject({ code: 'not-found' })
  })

  it('pages before, after and around a message through the service, validating the query', async () => {
    create()
    session.connected = false
    const sent: ChatMessage[] = []
    for (let i = 0; i < 5; i++) sent.push(await service.send({ conversationId: 'dm:bob', text: `m${i}` }))
    const texts = (p: { messages: ChatMessage[] }) => p.messages.map((x) => x.text)
    const at = (m: ChatMessage) => ({ ts: m.ts, id: m.id })
    expect(texts(await service.page({ conversationId: 'dm:bob', around: sent[2]!.id, limit: 1 }))).toEqual(['m1', 'm2', 'm3'])
    expect(await service.page({ conversationId: 'dm:bob', after: at(sent[2]!), limit: 1 })).toMatchObject({ hasMore: true, hasNewer: true, firstUnread: null })
    expect(texts(await service.page({ conversationId: 'dm:bob', before: at(sent[2]!), limit: 5 }))).toEqual(['m0', 'm1'])
    await expect(service.page({ conversationId: 'dm:bob', before: at(sent[1]!), after: at(sent[3]!) })).rejects.toThrow(/not several at once/)
    await expect(service.page({ conversationId: 'dm:carol', around: sent[0]!.id })).rejects.toMatchObject({ code: 'not-found' })
  })

  it('its route takes my 1:1 inbox, drops retained messages there, and stores what arrives', async () => {
    const messages = create()
    const [route] = messages.routes!(ALICE)
    expect(route).toMatchObject({ filter: 'IMS/alice/Inbox/Msg/+', qos: 1, retained: 'drop' })
    router.reset([route!])
    const e = textEnvelope('bob', 'bob-dev', 'hello alice', 1)
    const p = (retain: boolean) => ({ cmd: 'publish', topic: 'IMS/alice/Inbox/Msg/bob', payload: encodeEnvelope(e), qos: 1, dup: false, retain }) as IPublishPacket
    router.dispatch([p(true)])
    expect((await service.page({ conversationId: 'dm:bob' })).messages).toEqual([])
    router.dispatch([p(false)])
    expect((await service.page({ conversationId: 'dm:bob' })).messages.map((x) => x.text)).toEqual(['hello alice'])
    await settle()
    expect(messageEvents().map((x) => [x.sender, x.status])).toEqual([['bob', 'received']])
  })
})
