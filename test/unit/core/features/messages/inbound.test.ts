import type Database from 'better-sqlite3'
import type { IPublishPacket } from 'mqtt'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { ChatMessage } from '../../../../../src/shared/contract'
import type { ReceivedBatch } from '../../../../../src/main/core/features/messages/api'
import { handleDirect, type InboundContext } from '../../../../../src/main/core/features/messages/inbound'
import type { MessageStore } from '../../../../../src/main/core/features/messages/store'
import { silentLogger, type Logger } from '../../../../../src/main/core/kernel/log'
import type { AfterCommit } from '../../../../../src/main/core/mqtt/router'
import { Codec, encodeEnvelope, textEnvelope } from '../../../../../src/main/core/protocol/codec'
import { openStores } from '../stores'

const packet = (topic: string, payload: string | Buffer): IPublishPacket => ({
  cmd: 'publish',
  topic,
  payload: typeof payload === 'string' ? Buffer.from(payload) : payload,
  qos: 1,
  dup: false,
  retain: false,
  messageId: 1,
})

const ACCOUNT = { user: 'bob', root: 'IMS', deviceId: 'bob-dev' }

describe('handleDirect (the 1:1 receive path)', () => {
  let db: Database.Database
  let store: MessageStore

  beforeEach(() => {
    ;({ db, messages: store } = openStores())
  })
  afterEach(() => {
    if (db.open) db.close()
  })

  const ctx = (
    announce: (m: readonly ChatMessage[]) => void,
    log: Logger = silentLogger,
    listeners: ((b: ReceivedBatch) => AfterCommit)[] = [],
  ): InboundContext => ({ account: ACCOUNT, store, codec: new Codec(), log, announce, listeners })
  const run = (fn: AfterCommit) => {
    if (fn) fn()
  }

  it('stores a batch in one go and announces only the new messages, in the after-commit work', () => {
    const announced: (readonly ChatMessage[])[] = []
    const e1 = textEnvelope('alice', 'd', 'one', 1)
    const e2 = textEnvelope('alice', 'd', 'two', 2)
    const after = handleDirect(ctx((m) => announced.push(m)), [
      packet('IMS/bob/Inbox/Msg/alice', encodeEnvelope(e1)),
      packet('IMS/bob/Inbox/Msg/alice', encodeEnvelope(e2)),
      packet('IMS/bob/Inbox/Msg/alice', encodeEnvelope(e1)),
    ])
    expect(announced).toEqual([]) // stored now, announced after the commit
    expect(store.page('dm:alice', null, 10).messages.map((m) => m.text)).toEqual(['one', 'two'])
    expect(typeof after).toBe('function')
    run(after)
    expect(announced).toHaveLength(1)
    expect(announced[0]!.map((m) => m.id)).toEqual([e1.id, e2.id])
    expect(announced[0]![0]).toMatchObject({ direction: 'in', status: 'received', sender: 'alice', conversationId: 'dm:alice' })

    run(handleDirect(ctx((m) => announced.push(m)), [packet('IMS/bob/Inbox/Msg/alice', encodeEnvelope(e2))]))
    expect(announced).toHaveLength(1) // a re-delivery is not announced again
  })

  it('logs and skips what it cannot decode, keeping the rest of the batch', () => {
    const warn = vi.fn()
    const log = { ...silentLogger, warn }
    const announced: ChatMessage[] = []
    run(
      handleDirect(ctx((m) => announced.push(...m), log), [
        packet('IMS/bob/Inbox/Msg/alice', '{"v":2}'),
        packet('IMS/bob/Inbox/Msg/alice', Buffer.from([0xff, 0xfe])),
        packet('IMS/bob/Inbox/Msg/carol', 'plain hello'),
      ]),
    )
    expect(announced.map((m) => [m.sender, m.text])).toEqual([['carol', 'plain hello']])
    expect(warn).toHaveBeenCalledTimes(2)
    expect(warn.mock.calls[0]![1]).toMatchObject({ topic: 'IMS/bob/Inbox/Msg/alice', reason: expect.stringMatching(/invalid envelope/) })
    expect(warn.mock.calls[1]![1]).toMatchObject({ reason: expect.stringMatching(/not UTF-8/) })
  })

  it('nothing decodable: no after-commit work at all', () => {
    expect(handleDirect(ctx(() => {}), [packet('IMS/bob/Inbox/Msg/alice', '{"v":2}')])).toBeUndefined()
    expect(handleDirect(ctx(() => {}), [])).toBeUndefined()
  })

  it('a message "from myself" on my own inbox is dropped: only someone posing as me could send it', () => {
    const warn = vi.fn()
    const e = textEnvelope('bob', 'phone', 'note to self', 1)
    expect(handleDirect(ctx(() => {}, { ...silentLogger, warn }), [packet('IMS/bob/Inbox/Msg/bob', encodeEnvelope(e))])).toBeUndefined()
    expect(store.get(e.id)).toBeNull()
    expect(warn).toHaveBeenCalledWith('dropped an incoming message', { topic: 'IMS/bob/Inbox/Msg/bob', reason: 'a message from myself on my own inbox' })
  })

  it('drops a message addressed to someone else or under another root', () => {
    const warn = vi.fn()
    const c = ctx(() => {}, { ...silentLogger, warn })
    for (const topic of ['IMS/carol/Inbox/Msg/alice', 'OTHER/bob/Inbox/Msg/alice', 'IMS/bob/Inbox/Msg/alice/x']) {
      expect(handleDirect(c, [packet(topic, 'hi')])).toBeUndefined()
    }
    expect(warn).toHaveBeenCalledTimes(3)
    for (const call of warn.mock.calls) expect(call[1]).toMatchObject({ reason: 'not my inbox' })
    expect(store.page('dm:alice', null, 10).messages).toEqual([])
  })

  it.each(['$SYS', 'a\u0000b', 'a\u202eb', ' carol', 'x'.repeat(65)])('drops a hostile sender name %j in the topic', (from) => {
    const warn = vi.fn()
    expect(handleDirect(ctx(() => {}, { ...silentLogger, warn }), [packet(`IMS/bob/Inbox/Msg/${from}`, 'hello')])).toBeUndefined()
    expect(warn.mock.calls[0]![1]).toMatchObject({ reason: expect.stringMatching(/bad sender name in topic/) })
  })

  it('listeners get, per sender, the Parley ids now in the history (not plain text, not an id someone else used)', () => {
    const batches: ReceivedBatch[] = []
    const order: string[] = []
    const listener = (b: ReceivedBatch) => {
      batches.push(b)
      return () => order.push('listener')
    }
    const fromAlice = textEnvelope('alice', 'd', 'hi', 1)
    const earlier = textEnvelope('carol', 'd', 'stored before', 1)
    run(handleDirect(ctx(() => {}), [packet('IMS/bob/Inbox/Msg/carol', encodeEnvelope(earlier))]))
    const stolen = { ...textEnvelope('mallory', 'd', 'reuses an id', 1), id: earlier.id }
    const after = handleDirect(ctx(() => order.push('announce'), silentLogger, [listener]), [
      packet('IMS/bob/Inbox/Msg/alice', encodeEnvelope(fromAlice)),
      packet('IMS/bob/Inbox/Msg/carol', encodeEnvelope(earlier)), // a re-offer of one stored before: still acknowledged
      packet('IMS/bob/Inbox/Msg/mallory', encodeEnvelope(stolen)), // carol's id: stored nothing, acknowledged to nobody
      packet('IMS/bob/Inbox/Msg/dave', 'plain text from a shell'),
    ])
    expect(batches).toHaveLength(1) // inside the receive, before the commit
    expect(batches[0]!.stored.map((m) => m.sender)).toEqual(['alice', 'dave'])
    expect(Object.fromEntries(batches[0]!.idsBySender)).toEqual({ alice: [fromAlice.id], carol: [earlier.id] })
    expect(order).toEqual([])
    run(after)
    expect(order).toEqual(['announce', 'listener'])
  })

  // The id mallory reuses is stored in this same batch (as alice's). Only alice's copy
  // is in the history, so only alice may get a delivery receipt for it: a receipt to
  // mallory would mark mallory's message delivered though it was thrown away.
  it('a duplicate id from another sender in the same batch is not acknowledged to that sender', () => {
    const batches: ReceivedBatch[] = []
    const fromAlice = textEnvelope('alice', 'd', 'hi', 1)
    const stolen = { ...textEnvelope('mallory', 'd', 'same id', 1), id: fromAlice.id }
    handleDirect(ctx(() => {}, silentLogger, [(b) => void batches.push(b)]), [
      packet('IMS/bob/Inbox/Msg/alice', encodeEnvelope(fromAlice)),
      packet('IMS/bob/Inbox/Msg/mallory', encodeEnvelope(stolen)),
    ])
    expect(store.get(fromAlice.id)).toMatchObject({ sender: 'alice', conversationId: 'dm:alice' })
    expect(Object.fromEntries(batches[0]!.idsBySender)).toEqual({ alice: [fromAlice.id] })
  })

  it('a failing insert throws, so the router rolls the batch back and the session withholds the acks', () => {
    db.close()
    expect(() => handleDirect(ctx(() => {}), [packet('IMS/bob/Inbox/Msg/alice', 'hi')])).toThrow()
  })
})
