import { randomBytes } from 'node:crypto'
import { v7 as uuidv7 } from 'uuid'
import type { ChatMessage, Room } from '../../../../shared/contract'
import { JoinRoomInputSchema, PostRoomInputSchema } from '../../../../shared/contract'
import { conversationId } from '../../../../shared/protocol/conversation-id'
import { MessageIdSchema } from '../../../../shared/protocol/envelope'
import {
  formatRoomPost,
  isWildcard,
  randomRoomTopic,
  readRoomInput,
  roomCode,
  roomFilterProblem,
  roomLink,
  RoomQosSchema,
  type RoomQos,
} from '../../../../shared/protocol/rooms'
import { ParleyError } from '../../../../shared/rpc'
import { z } from 'zod'
import { defineFeature, type Account } from '../../kernel/feature'
import type { Route } from '../../mqtt/router'
import type { ConversationsApi } from '../conversations'
import type { MessagesApi } from '../messages/api'
import { RoomInbound } from './inbound'
import { migration0016 } from './migrations/0016_rooms'
import { RoomStore, type RoomRow } from './store'

const toRoom = (r: RoomRow): Room => ({
  filter: r.filter,
  conversationId: conversationId('room', r.filter),
  qos: r.qos,
  wildcard: isWildcard(r.filter),
  link: roomLink(r.filter, r.qos),
  code: roomCode(r.filter),
  joinedAt: r.joinedAt,
})

/**
 * Open rooms (seed 004): any topic or filter outside Parley's own namespace, joined
 * with a QoS of its own. Each joined room is one route (one subscription, never two
 * for one filter); what arrives is plain text, stored as messages of the
 * conversation `room:{filter}`. Posting goes through the messages feature (a
 * transport for kind 'room' that publishes plain text in seed 004's format).
 */
export const roomsFeature = defineFeature({
  name: 'rooms',
  dependsOn: ['conversations', 'messages'],
  migrations: [migration0016],
  create(ctx) {
    const conversations = ctx.use<ConversationsApi>('conversations')
    const messages = ctx.use<MessagesApi>('messages')
    const store = new RoomStore(ctx.db)
    const inbound = new RoomInbound(store, ctx.log)

    /** A filter this account may use as a room, or a ParleyError saying why not. */
    const checked = (account: Account, filter: string, concrete = false): string => {
      const problem = roomFilterProblem(filter, account.root, concrete)
      if (problem) throw new ParleyError(problem, 'invalid-argument')
      return filter
    }

    const route = (account: Account, r: RoomRow): Route => ({
      filter: r.filter,
      qos: r.qos,
      // Retained messages are the point of many topics (a sensor's last value): shown once, marked.
      retained: 'accept',
      handle: (packets) => {
        const arrivals = inbound.read(account, store.list().map((x) => x.filter), packets)
        if (arrivals.length === 0) return
        const stored = messages.storeForeign(arrivals.map((a) => a.message))
        const fresh = new Set(stored.map((m) => m.id))
        for (const a of arrivals) if (fresh.has(a.message.id)) store.noteMessage(a.message.id, a.topic, a.retained)
        return () => {
          messages.announce(stored)
          const byId = new Map(arrivals.map((a) => [a.message.id, a]))
          for (const m of stored) {
            const a = byId.get(m.id)!
            ctx.events.emit('roomMessage', { id: m.id, topic: a.topic, retained: a.retained, message: m })
          }
        }
      },
    })

    messages.registerTransport('room', {
      topic: (account, address) => checked(account, address, true),
      reoffer: false,
      encode: (account, _address, m) => Buffer.from(formatRoomPost(account.user, account.deviceId, m.text), 'utf8'),
    })

    const join = (account: Account, filter: string, qos: RoomQos): Room => {
      checked(account, filter)
      const before = store.get(filter)
      if (before?.qos === qos) return toRoom(before)
      const row = store.transaction(() => {
        const r = store.upsert(filter, qos, Date.now())
        conversations.store.ensure(conversationId('room', filter))
        return r
      })
      // Another QoS is another subscription: unsubscribe first, so the broker never holds two.
      if (before) ctx.removeRoute(filter)
      ctx.addRoute(route(account, row))
      const room = toRoom(row)
      ctx.events.emit('room', room)
      conversations.announce(room.conversationId)
      return room
    }

    return {
      routes: (account) => store.list().map((r) => route(account, r)),
      service: {
        async list() {
          return store.list().map(toRoom)
        },
        async join(input) {
          const account = ctx.requireAccount()
          const parsed = JoinRoomInputSchema.parse(input)
          const { filter, qos } = readRoomInput(parsed.room, parsed.qos)
          return join(account, filter, qos)
        },
        async create(qos) {
          const account = ctx.requireAccount()
          return join(account, randomRoomTopic((n) => randomBytes(n)), RoomQosSchema.optional().parse(qos) ?? 1)
        },
        async leave(filter) {
          z.string().parse(filter)
          if (!store.get(filter)) throw new ParleyError(`You are not in the room ${filter}.`, 'not-found')
          store.remove(filter)
          ctx.removeRoute(filter)
          ctx.events.emit('roomLeft', { filter })
          conversations.announce(conversationId('room', filter))
        },
        async post(input): Promise<ChatMessage> {
          const account = ctx.requireAccount()
          const { topic, text, qos } = PostRoomInputSchema.parse(input)
          checked(account, topic, true)
          if (!ctx.connected()) throw new ParleyError('Not connected to the broker; the post was not sent.', 'failed')
          const m = { id: uuidv7(), conversationId: conversationId('room', topic), senderDevice: account.deviceId, ts: Date.now(), seq: null, text }
          await ctx.publisher.publish(topic, formatRoomPost(account.user, account.deviceId, text), { qos, retain: false })
          const stored = store.transaction(() => {
            const s = messages.storeMirrored(m)
            if (s) store.noteMessage(s.id, topic, false)
            return s
          })
          if (!stored) throw new ParleyError('The post was sent but could not be stored.', 'internal')
          messages.announce([stored])
          return stored
        },
        async info(ids) {
          return store.info(z.array(MessageIdSchema).parse(ids))
        },
      },
    }
  },
})
