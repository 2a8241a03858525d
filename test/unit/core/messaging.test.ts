import Database from 'better-sqlite3'
import type { IPublishPacket } from 'mqtt'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { ChatMessage } from '../../../src/shared/contract'
import { EnvelopeSchema } from '../../../src/shared/envelope'
import { silentLogger, type Logger } from '../../../src/main/core/log'
import { handleInbound } from '../../../src/main/core/messaging/inbound'
import { Outbox } from '../../../src/main/core/messaging/outbox'
import type { MqttSession } from '../../../src/main/core/mqtt/session'
import { encodeEnvelope, textEnvelope } from '../../../src/main/core/protocol/codec'
import { migrate } from '../../../src/main/core/store/migrate'
import { MessageStore } from '../../../src/main/core/store/message-store'

const packet = (topic: string, payload: string | Buffer): IPublishPacket => ({
  cmd: 'publish',
  topic,
  payload: typeof payload === 'string' ? Buffer.from(payload) : payload,
  qos: 1,
  dup: false,
  retain: false,
  messageId: 1,
})

const flushImmediates = () => new Promise((r) => setImmediate(r))

describe('inbound and outbox', () => {
  let db: Database.Database
  let store: MessageStore

  beforeEach(() => {
    db = new Database(':memory:')
    migrate(db)
    store = new MessageStore(db)
  })
  afterEach(() => db.close())

  describe('handleInbound', () => {
    const ctx = (announce: (m: ChatMessage[]) => void, log: Logger = silentLogger) => ({ root: 'IMS', user: 'bob', store, log, announce })

    it('stores a batch in one go and announces only the new messages, after the call returns', async () => {
      const announced: ChatMessage[][] = []
      const e1 = textEnvelope('alice', 'd', 'one', 1)
      const e2 = textEnvelope('alice', 'd', 'two', 2)
      handleInbound(ctx((m) => announced.push(m)), [
        packet('IMS/bob/Inbox/Msg/alice', encodeEnvelope(e1)),
        packet('IMS/bob/Inbox/Msg/alice', encodeEnvelope(e2)),
        packet('IMS/bob/Inbox/Msg/alice', encodeEnvelope(e1)),
      ])
      expect(announced).toEqual([]) // committed now, announced later
      expect(store.page('dm:alice', null, 10).messages.map((m) => m.text)).toEqual(['one', 'two'])
      await flushImmediates()
      expect(announced).toHaveLength(1)
      expect(announced[0]!.map((m) => m.id)).toEqual([e1.id, e2.id])
      expect(announced[0]![0]).toMatchObject({ direction: 'in', status: 'received', sender: 'alice', conversationId: 'dm:alice' })

      handleInbound(ctx((m) => announced.push(m)), [packet('IMS/bob/Inbox/Msg/alice', encodeEnvelope(e2))])
      await flushImmediates()
      expect(announced).toHaveLength(1) // a re-delivery is not announced again
    })

    it('logs and skips what it cannot decode, keeping the rest of the batch', async () => {
      const warn = vi.fn()
      const log = { ...silentLogger, warn }
      const announced: ChatMessage[] = []
      handleInbound(ctx((m) => announced.push(...m), log), [
        packet('IMS/bob/Inbox/Msg/alice', '{"v":2}'),
        packet('IMS/bob/Inbox/Msg/alice', Buffer.from([0xff, 0xfe])),
        packet('IMS/bob/Inbox/Msg/carol', 'plain hello'),
      ])
      await flushImmediates()
      expect(announced.map((m) => [m.sender, m.text])).toEqual([['carol', 'plain hello']])
      expect(warn).toHaveBeenCalledTimes(2)
      expect(warn.mock.calls[0]![1]).toMatchObject({ topic: 'IMS/bob/Inbox/Msg/alice', reason: expect.stringMatching(/invalid envelope/) })
    })

    it('a message from myself (another of my devices) is stored as outgoing and sent', () => {
      const e = textEnvelope('bob', 'phone', 'note to self', 1)
      handleInbound(ctx(() => {}), [packet('IMS/bob/Inbox/Msg/bob', encodeEnvelope(e))])
      expect(store.getMessage(e.id)).toMatchObject({ direction: 'out', status: 'sent' })
      expect(store.getConversation('dm:bob')?.unread).toBe(0)
    })

    it('a failing commit throws, so the session withholds the acks', () => {
      db.close()
      expect(() => handleInbound(ctx(() => {}), [packet('IMS/bob/Inbox/Msg/alice', 'hi')])).toThrow()
      db = new Database(':memory:') // for afterEach
    })
  })

  describe('Outbox', () => {
    function setup(session: Partial<MqttSession> | null) {
      const sent: string[] = []
      const info = vi.fn()
      const outbox = new Outbox({
        root: 'IMS',
        user: 'alice',
        store,
        session: () => session as MqttSession | null,
        log: { ...silentLogger, info },
        onSent: (id) => sent.push(id),
      })
      return { outbox, sent, info }
    }
    const pending = (peer: string, text: string) => {
      const e = textEnvelope('alice', 'dev-a', text, store.nextSequence('out'))
      store.insert({ id: e.id, peer, sender: 'alice', senderDevice: 'dev-a', direction: 'out', ts: e.ts, seq: e.seq!, text, status: 'pending' })
      return e
    }

    it('publishes every pending message as a QoS 1 envelope to the peer inbox, then marks it sent', async () => {
      const publish = vi.fn(async () => {})
      const { outbox, sent } = setup({ connected: true, publish })
      const a = pending('bob', 'hi bob')
      const b = pending('carol', 'hi carol')
      outbox.flush()
      await vi.waitFor(() => expect(sent).toEqual([a.id, b.id]))
      expect(publish.mock.calls.map((c) => (c as unknown[])[0])).toEqual(['IMS/bob/Inbox/Msg/alice', 'IMS/carol/Inbox/Msg/alice'])
      const [, payload, opts] = publish.mock.calls[0] as unknown as [string, Buffer, { qos: number }]
      expect(opts.qos).toBe(1)
      expect(EnvelopeSchema.parse(JSON.parse(payload.toString()))).toEqual(a)
      expect(store.outbox()).toEqual([])
      expect(store.getMessage(a.id)?.status).toBe('sent')
    })

    it('does nothing while disconnected; the message stays pending', () => {
      const publish = vi.fn(async () => {})
      pending('bob', 'later')
      setup({ connected: false, publish }).outbox.flush()
      setup(null).outbox.flush()
      expect(publish).not.toHaveBeenCalled()
      expect(store.outbox()).toHaveLength(1)
    })

    it('does not publish a message twice while its first publish is in flight', async () => {
      let release!: () => void
      const publish = vi.fn(() => new Promise<void>((r) => (release = r)))
      const { outbox, sent } = setup({ connected: true, publish })
      const a = pending('bob', 'once')
      outbox.flush()
      outbox.flush()
      expect(publish).toHaveBeenCalledTimes(1)
      release()
      await vi.waitFor(() => expect(sent).toEqual([a.id]))
    })

    it('a failed publish leaves the message pending for the next connection', async () => {
      const publish = vi.fn(async (): Promise<void> => {
        throw new Error('connection lost')
      })
      const { outbox, sent, info } = setup({ connected: true, publish })
      const a = pending('bob', 'retry me')
      outbox.flush()
      await vi.waitFor(() => expect(info).toHaveBeenCalledWith('message stays in the outbox', { id: a.id, reason: 'connection lost' }))
      expect(sent).toEqual([])
      expect(store.outbox().map((o) => o.id)).toEqual([a.id])
      publish.mockImplementation(async () => {})
      outbox.flush()
      await vi.waitFor(() => expect(sent).toEqual([a.id]))
    })
  })
})
