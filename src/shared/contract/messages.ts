import { z } from 'zod'
import { ConversationIdSchema } from '../protocol/conversation-id'
import { MessageIdSchema } from '../protocol/envelope'
import { NameSchema } from '../protocol/names'
import { MessageTextSchema, PageCursorSchema, type PageCursor } from '../schemas'
import { defineContract } from './define'

/**
 * Outgoing: pending (in the outbox) → sent (the broker has it) → delivered (a
 * device of the recipient stored it) → read; or failed (the broker refused it).
 * Incoming: received, then seen once the person has read it here.
 */
export type MessageStatus = 'pending' | 'sent' | 'delivered' | 'read' | 'failed' | 'received' | 'seen'

export interface ChatMessage {
  id: string
  conversationId: string
  sender: string
  direction: 'in' | 'out'
  /** Sender's clock, ms since epoch. */
  ts: number
  text: string
  status: MessageStatus
  /** Why a failed message was not sent, in words a person can act on. */
  error: string | null
}

export interface MessagePage {
  /** Oldest first. */
  messages: ChatMessage[]
  /** There are older messages before the first one. */
  hasMore: boolean
  /** There are newer messages after the last one (false for the newest page). */
  hasNewer: boolean
  /** The conversation's oldest incoming message not seen yet, where the "new messages" divider goes. */
  firstUnread: PageCursor | null
}

/**
 * A page of one conversation, in the history's order (ts, then id): the newest
 * page; the one `before` (older than) or `after` (newer than) a message; or the one
 * `around` a message (jump-to: it, with up to `limit` on each side).
 */
export const PageQuerySchema = z
  .object({
    conversationId: ConversationIdSchema,
    before: PageCursorSchema.nullish(),
    after: PageCursorSchema.nullish(),
    around: MessageIdSchema.nullish(),
    limit: z.number().int().min(1).max(500).default(50),
  })
  .refine((q) => [q.before, q.after, q.around].filter((x) => x != null).length <= 1, {
    error: 'Ask for the page before, after or around a message, not several at once.',
  })
export type PageQuery = z.input<typeof PageQuerySchema>

export const SendInputSchema = z.object({ conversationId: ConversationIdSchema, text: MessageTextSchema })
export type SendInput = z.infer<typeof SendInputSchema>

/** Most recipients one list send takes (each gets their own message and outbox entry). */
export const MAX_LIST_RECIPIENTS = 256

export const SendToManyInputSchema = z.object({
  to: z.array(NameSchema).min(1, { error: 'Name at least one recipient.' }).max(MAX_LIST_RECIPIENTS, { error: `A list can have at most ${MAX_LIST_RECIPIENTS} recipients.` }),
  text: MessageTextSchema,
})
export type SendToManyInput = z.infer<typeof SendToManyInputSchema>

export interface MessageService {
  page(query: PageQuery): Promise<MessagePage>
  send(input: SendInput): Promise<ChatMessage>
  /**
   * Sends one text to several people, each in our 1:1 conversation as a message of
   * its own (its own id and outbox entry), all stored in one transaction; a name
   * given twice gets it once. The messages, in the order of `to`.
   */
  sendToMany(input: SendToManyInput): Promise<ChatMessage[]>
  /** Puts a failed message back in the outbox. */
  retry(messageId: string): Promise<ChatMessage>
  /** Deletes a message from this history only ("delete for me"). */
  remove(messageId: string): Promise<void>
}

export interface MessageEvents {
  /** A new message, or a change of an existing one (pending → sent → delivered → read). */
  message: ChatMessage
  messageRemoved: { id: string; conversationId: string }
}

export const messagesContract = defineContract<MessageService, MessageEvents>()({
  methods: {
    page: z.tuple([PageQuerySchema]),
    send: z.tuple([SendInputSchema]),
    sendToMany: z.tuple([SendToManyInputSchema]),
    retry: z.tuple([MessageIdSchema]),
    remove: z.tuple([MessageIdSchema]),
  },
  events: ['message', 'messageRemoved'],
})
