import type { IPublishPacket } from 'mqtt'
import { ConversationIdSchema, dmConversationId, parseConversationId } from '../../../../shared/protocol/conversation-id'
import { NameSchema } from '../../../../shared/protocol/names'
import { inboxFilter, inboxTopic } from '../../../../shared/protocol/topics'
import { defineFeature, type Account } from '../../kernel/feature'
import { envelope } from '../../protocol/codec'
import { decodeInbox } from '../../protocol/inbox'

/** At most one typing notice per conversation this often while the person types. */
export const TYPING_THROTTLE_MS = 3000
/** The broker drops an undelivered notice after this long (MQTT 5 Message Expiry). */
const TYPING_EXPIRY_SECONDS = 5
/** A notice not refreshed within this long has ended. */
export const TYPING_SHOWN_MS = 6000

/**
 * The typing indicator: ephemeral QoS 0 notices on `R/{to}/Inbox/Typing/{from}`
 * with a few seconds' expiry, throttled on the way out, never stored; shown until
 * it expires or a message from that person arrives.
 */
export const typingFeature = defineFeature({
  name: 'typing',
  create(ctx) {
    const lastSent = new Map<string, number>()
    /** conversation id → the timer that ends the notice shown for it. */
    const shown = new Map<string, NodeJS.Timeout>()

    const stop = (conversationId: string, user: string): void => {
      const timer = shown.get(conversationId)
      if (!timer) return
      clearTimeout(timer)
      shown.delete(conversationId)
      ctx.events.emit('typing', { conversationId, user, typing: false })
    }

    const handle = (account: Account, packets: readonly IPublishPacket[]): (() => void) | void => {
      const started = decodeInbox({ codec: ctx.codec, log: ctx.log, account }, packets, 'typing', 'a typing notice').map((i) => ({
        conversationId: dmConversationId(i.from),
        user: i.from,
      }))
      if (!started.length) return
      return () => {
        for (const { conversationId, user } of started) {
          const was = shown.get(conversationId)
          if (was) clearTimeout(was)
          const timer = setTimeout(() => stop(conversationId, user), TYPING_SHOWN_MS)
          timer.unref()
          shown.set(conversationId, timer)
          if (!was) ctx.events.emit('typing', { conversationId, user, typing: true })
        }
      }
    }

    ctx.events.on('message', (m) => {
      // A message from them ends their typing notice; one from me lets the next keystroke say so again at once.
      if (m.direction === 'in') stop(m.conversationId, m.sender)
      else lastSent.delete(m.conversationId)
    })

    return {
      routes: (account) => [{ filter: inboxFilter(account.root, 'Typing', account.user), qos: 0, retained: 'drop', handle: (ps) => handle(account, ps) }],
      close() {
        for (const t of shown.values()) clearTimeout(t)
        shown.clear()
      },
      service: {
        async typing(conversationId) {
          const id = ConversationIdSchema.parse(conversationId)
          const account = ctx.account()
          const c = parseConversationId(id)
          if (!account || !c || c.kind !== 'dm' || !NameSchema.safeParse(c.address).success || !ctx.connected()) return
          const now = Date.now()
          if (now - (lastSent.get(id) ?? 0) < TYPING_THROTTLE_MS) return
          lastSent.set(id, now)
          const topic = inboxTopic(account.root, 'Typing', c.address, account.user)
          const e = envelope('typing', account.user, {}, { dev: account.deviceId })
          await ctx.publisher.publish(topic, ctx.codec.encode(e, topic), { qos: 0, expirySeconds: TYPING_EXPIRY_SECONDS }).catch(() => {})
        },
      },
    }
  },
})
