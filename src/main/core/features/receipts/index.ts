import type { IPublishPacket } from 'mqtt'
import { z } from 'zod'
import type { ChatMessage, ReceiptSettings } from '../../../../shared/contract'
import { parseConversationId } from '../../../../shared/protocol/conversation-id'
import { MAX_RECEIPT_IDS } from '../../../../shared/protocol/envelope'
import { NameSchema } from '../../../../shared/protocol/names'
import { inboxFilter, inboxTopic } from '../../../../shared/protocol/topics'
import { defineFeature, type Account } from '../../kernel/feature'
import { envelope, newMessageId } from '../../protocol/codec'
import { decodeInbox } from '../../protocol/inbox'
import type { ConversationsApi } from '../conversations'
import type { MessagesApi } from '../messages/api'
import type { PresenceApi } from '../presence'

const READ_PREF = 'receipts.sendRead'
/** How long delivery receipts gather before they go out. */
const DELIVERED_DELAY_MS = 50
const OWNER = 'receipts'

function chunks<T>(list: readonly T[], size: number): T[][] {
  const out: T[][] = []
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size))
  return out
}

/**
 * Delivery and read receipts on `R/{to}/Inbox/Rcpt/{from}`. The receiving device,
 * once a batch is committed, tells each sender which of their message ids it now
 * holds (ephemeral: if it is lost, the sender offers the message again and the
 * receipt with it); a read receipt goes through the outbox when a conversation is
 * read, unless the person turned read receipts off. The sender moves its messages
 * sent → delivered → read, and offers again what is not delivered yet whenever
 * the recipient comes online.
 */
export const receiptsFeature = defineFeature({
  name: 'receipts',
  dependsOn: ['conversations', 'messages', 'presence'],
  create(ctx) {
    const messages = ctx.use<MessagesApi>('messages')
    const conversations = ctx.use<ConversationsApi>('conversations')
    const presence = ctx.use<PresenceApi>('presence')
    const settings = (): ReceiptSettings => ({ sendReadReceipts: ctx.prefs.get(READ_PREF, z.boolean(), true) })

    const receipt = (account: Account, to: string, kind: 'delivered' | 'read', ids: string[]) => {
      const topic = inboxTopic(account.root, 'Rcpt', to, account.user)
      return { topic, payload: ctx.codec.encode(envelope('receipt', account.user, { kind, ids }, { dev: account.deviceId }), topic) }
    }

    // Delivery receipts wait a moment so a burst of batches is acknowledged in a few
    // publishes, not one per commit; a person cannot see the difference in a ✓✓.
    const owed = new Map<string, Set<string>>()
    let owedTimer: NodeJS.Timeout | null = null
    const sendOwed = (): void => {
      if (owedTimer) clearTimeout(owedTimer)
      owedTimer = null
      const account = ctx.account()
      const due = [...owed]
      owed.clear()
      if (!account) return
      for (const [sender, ids] of due) {
        for (const part of chunks([...ids], MAX_RECEIPT_IDS)) {
          const r = receipt(account, sender, 'delivered', part)
          ctx.publisher.publish(r.topic, r.payload, { qos: 1 }).catch(() => {})
        }
      }
    }
    messages.onReceived((batch) => {
      if (batch.idsBySender.size === 0) return
      return () => {
        let total = 0
        for (const [sender, ids] of batch.idsBySender) {
          const set = owed.get(sender)
          if (set) for (const id of ids) set.add(id)
          else owed.set(sender, new Set(ids))
        }
        for (const set of owed.values()) total += set.size
        if (total >= MAX_RECEIPT_IDS) sendOwed()
        else if (!owedTimer) owedTimer = setTimeout(sendOwed, DELIVERED_DELAY_MS)
      }
    })

    conversations.onRead((conversationId) => {
      const c = parseConversationId(conversationId)
      const account = ctx.account()
      if (!account || c?.kind !== 'dm' || !NameSchema.safeParse(c.address).success) return
      // A message request stays unseen (no read receipt) until it is accepted and read.
      if (conversations.store.get(conversationId)?.folder === 'requests') return
      const ids = messages.markSeen(conversationId)
      if (!ids.length || !settings().sendReadReceipts) return
      ctx.db.transaction(() => {
        for (const part of chunks(ids, MAX_RECEIPT_IDS)) {
          ctx.publisher.enqueue({ owner: OWNER, ref: newMessageId(), ...receipt(account, c.address, 'read', part) })
        }
      })()
    })

    // A read receipt the broker refuses is not worth a retry button: forget it.
    ctx.publisher.register(OWNER, { failed: (ref) => ctx.publisher.cancel(OWNER, ref) })

    // Someone came online: what is waiting for their receipt may have missed them (no session yet).
    presence.onCameOnline((user) => messages.reofferTo(user))

    const handle = (account: Account, packets: readonly IPublishPacket[]): (() => void) | void => {
      const changed: ChatMessage[] = []
      for (const { from, envelope: e } of decodeInbox({ codec: ctx.codec, log: ctx.log, account }, packets, 'receipt', 'a receipt')) {
        changed.push(...messages.advance(from, e.body.ids, e.body.kind))
      }
      if (changed.length) return () => messages.announce(changed)
    }

    return {
      close() {
        if (owedTimer) clearTimeout(owedTimer)
        owedTimer = null
      },
      // Owed receipts go out before the session closes.
      async beforeClose() {
        sendOwed()
      },
      routes: (account) => [{ filter: inboxFilter(account.root, 'Rcpt', account.user), qos: 1, retained: 'drop', handle: (ps) => handle(account, ps) }],
      service: {
        async settings() {
          return settings()
        },
        async setSendReadReceipts(on) {
          ctx.prefs.set(READ_PREF, z.boolean().parse(on))
          return settings()
        },
      },
    }
  },
})
