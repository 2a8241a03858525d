import { z } from 'zod'
import { ConversationIdSchema } from '../protocol/conversation-id'
import { MessageIdSchema } from '../protocol/envelope'
import { MessageTextSchema, PageCursorSchema } from '../schemas'
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
}

export const PageQuerySchema = z.object({
  conversationId: ConversationIdSchema,
  before: PageCursorSchema.nullish(),
  limit: z.number().int().min(1).max(500).default(50),
})
export type PageQuery = z.input<typeof PageQuerySchema>

export const SendInputSchema = z.object({ conversationId: ConversationIdSchema, text: MessageTextSchema })
export type SendInput = z.infer<typeof SendInputSchema>

export interface MessageService {
  page(query: PageQuery): Promise<MessagePage>
  send(input: SendInput): Promise<ChatMessage>
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
    retry: z.tuple([MessageIdSchema]),
    remove: z.tuple([MessageIdSchema]),
  },
  events: ['message', 'messageRemoved'],
})
