import type { ChatMessage } from '../../../../shared/contract'
import { PageQuerySchema, SendInputSchema, SendToManyInputSchema } from '../../../../shared/contract'
import { dmConversationId, parseConversationId, type ConversationKind } from '../../../../shared/protocol/conversation-id'
import { MessageIdSchema } from '../../../../shared/protocol/envelope'
import { NameSchema } from '../../../../shared/protocol/names'
import { directTopic, inboxFilter } from '../../../../shared/protocol/topics'
import { ParleyError } from '../../../../shared/rpc'
import { defineFeature, type Account } from '../../kernel/feature'
import type { AfterCommit } from '../../mqtt/router'
import { envelope } from '../../protocol/codec'
import type { ConversationsApi } from '../conversations'
import type { ConversationTransport, MessagesApi, ReceivedBatch, SentMessage } from './api'
import { HistoryRows } from './history-rows'
import { handleDirect } from './inbound'
import { migration0005 } from './migrations/0005_message_statuses'
import { migration0007 } from './migrations/0007_message_tombstones'
import { migration0018 } from './migrations/0018_message_time_keys'
import { MessageStore, type OutgoingMessage } from './store'

const OWNER = 'messages'
/** How long a deleted message's id is remembered: longer than any re-offer. */
const TOMBSTONE_DAYS = 30

export const messagesFeature = defineFeature({
  name: 'messages',
  dependsOn: ['conversations'],
  migrations: [migration0005, migration0007, migration0018],
  create(ctx) {
    const conversations = ctx.use<ConversationsApi>('conversations')
    const store = new MessageStore(ctx.db, conversations.store)
    const historyRows = new HistoryRows(ctx.db)
    const listeners: ((batch: ReceivedBatch) => AfterCommit)[] = []
    const sentListeners: ((m: SentMessage) => void)[] = []
    const transports = new Map<ConversationKind, ConversationTransport>([
      ['dm', { topic: (a, peer) => directTopic(a.root, NameSchema.parse(peer), a.user), reoffer: true }],
    ])

    const announce = (messages: readonly ChatMessage[]): void => {
      for (const m of messages) {
        ctx.events.emit('message', m)
        conversations.announce(m.conversationId)
      }
    }
    const announceOne = (m: ChatMessage | null): void => {
      if (m) announce([m])
    }

    /** Puts a stored outgoing message in the kernel's outbox (inside the caller's transaction). */
    const enqueue = (account: Account, m: OutgoingMessage): void => {
      const c = parseConversationId(m.conversationId)
      const transport = c && transports.get(c.kind)
      if (!c || !transport) throw new ParleyError(`Messages cannot be sent to ${m.conversationId} yet.`, 'invalid-argument')
      const topic = transport.topic(account, c.address)
      const e = envelope('text', account.user, { text: m.text }, { id: m.id, ts: m.ts, ...(m.senderDevice ? { dev: m.senderDevice } : {}), ...(m.seq !== null ? { seq: m.seq } : {}) })
      const payload = transport.encode ? transport.encode(account, c.address, m) : ctx.codec.encode(e, topic)
      ctx.publisher.enqueue({ owner: OWNER, ref: m.id, topic, payload, reoffer: transport.reoffer })
    }

    /** Stores a message I send from this device and puts it in the outbox (inside the caller's transaction); its id. */
    const storeOutgoing = (account: Account, conversationId: string, text: string): string => {
      const e = envelope('text', account.user, { text }, { dev: account.deviceId, seq: store.nextSequence('out') })
      const m = { id: e.id, conversationId, senderDevice: account.deviceId, ts: e.ts, seq: e.seq ?? null, text }
      enqueue(account, m)
      store.insert({ ...m, sender: account.user, direction: 'out', status: 'pending' })
      for (const l of sentListeners) l(m)
      return e.id
    }

    const sendOne = (conversationId: string, text: string): ChatMessage => {
      const account = ctx.requireAccount()
      const id = store.transaction(() => storeOutgoing(account, conversationId, text))
      const m = store.get(id)!
      announceOne(m)
      return m
    }

    /** Pending messages written before the kernel had an outbox go into it once. */
    const reconcile = (account: Account): void => {
      store.transaction(() => {
        for (const r of store.pendingWithoutOutbox()) {
          try {
            enqueue(account, r)
          } catch (err) {
            announceOne(store.markFailed(r.id, (err as Error).message))
          }
        }
      })
    }

    ctx.publisher.register(OWNER, {
      acked: (id) => announceOne(store.markSent(id)),
      failed: (id, reason) => announceOne(store.markFailed(id, reason)),
    })

    const api: MessagesApi = {
      onReceived: (l) => void listeners.push(l),
      advance(peer, ids, status) {
        return store.transaction(() => {
          const moved = store.advance(dmConversationId(peer), ids, status)
          for (const m of moved) ctx.publisher.confirm(OWNER, m.id)
          return moved
        })
      },
      announce,
      markSeen: (conversationId, upTo) => store.markSeen(conversationId, upTo),
      unseenCount: (conversationId) => store.unseenCount(conversationId),
      onSent: (l) => void sentListeners.push(l),
      storeMirrored(m) {
        const account = ctx.requireAccount()
        return store.insertMany([{ ...m, sender: account.user, direction: 'out', status: 'sent' }])[0] ?? null
      },
      storeForeign(rows) {
        return store.insertMany(rows.map((r) => ({ ...r, senderDevice: null, direction: 'in', seq: null, status: 'received' })))
      },
      send: sendOne,
      registerTransport: (kind, transport) => void transports.set(kind, transport),
      removeConversation(conversationId) {
        store.transaction(() => {
          for (const id of store.removeConversation(conversationId)) ctx.publisher.cancel(OWNER, id)
        })
      },
      reofferTo(peer) {
        const account = ctx.account()
        if (account) ctx.publisher.reofferTopic(directTopic(account.root, peer, account.user))
      },
      oldestFirst: (conversationId, after, limit) => historyRows.oldestFirst(conversationId, after, limit),
      count: (conversationId) => historyRows.count(conversationId),
      storeHistory(rows) {
        return store.transaction(() => {
          const stored = store.insertMany(
            rows.map((r) => ({
              ...r,
              senderDevice: null,
              seq: null,
              // An old incoming message is not news; one of mine that never went out must not go out now.
              status: r.direction === 'in' ? 'seen' : r.status === 'sent' || r.status === 'delivered' || r.status === 'read' ? r.status : 'failed',
            })),
          )
          // insertMany counts every new incoming message as unread: take those back.
          const incoming = new Map<string, number>()
          for (const m of stored) if (m.direction === 'in') incoming.set(m.conversationId, (incoming.get(m.conversationId) ?? 0) + 1)
          for (const [id, n] of incoming) conversations.store.touch(id, 0, -n)
          return stored
        })
      },
    }

    return {
      api,
      routes: (account) => [
        {
          filter: inboxFilter(account.root, 'Msg', account.user),
          qos: 1,
          retained: 'drop',
          handle: (packets) => handleDirect({ account, store, codec: ctx.codec, log: ctx.log, announce, listeners }, packets),
        },
      ],
      onAccount(account) {
        if (account) reconcile(account)
        store.pruneTombstones(Date.now() - TOMBSTONE_DAYS * 86_400_000)
      },
      service: {
        async page(query) {
          const q = PageQuerySchema.parse(query)
          return store.page(q.conversationId, { before: q.before, after: q.after, around: q.around }, q.limit)
        },
        async send(input) {
          const { conversationId, text } = SendInputSchema.parse(input)
          return sendOne(conversationId, text)
        },
        async sendToMany(input) {
          const account = ctx.requireAccount()
          const { to, text } = SendToManyInputSchema.parse(input)
          // One transaction: every recipient's message and outbox entry, or none (a quit halfway loses nothing).
          const ids = store.transaction(() => [...new Set(to)].map((peer) => storeOutgoing(account, dmConversationId(peer), text)))
          const sent = ids.map((id) => store.get(id)!)
          announce(sent)
          return sent
        },
        async retry(messageId) {
          const account = ctx.requireAccount()
          const id = MessageIdSchema.parse(messageId)
          const m = store.get(id)
          if (!m || m.direction !== 'out') throw new ParleyError('There is no such message of yours.', 'not-found')
          if (m.status !== 'failed') return m
          const again = store.markRetry(id)
          if (!ctx.publisher.retry(OWNER, id)) reconcile(account)
          announceOne(again)
          return store.get(id)!
        },
        async remove(messageId) {
          const id = MessageIdSchema.parse(messageId)
          const conversationId = store.transaction(() => {
            const cid = store.remove(id)
            if (cid) ctx.publisher.cancel(OWNER, id)
            return cid
          })
          if (!conversationId) throw new ParleyError('That message is not in this history.', 'not-found')
          ctx.events.emit('messageRemoved', { id, conversationId })
          conversations.announce(conversationId)
        },
      },
    }
  },
})
