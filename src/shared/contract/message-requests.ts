import { z } from 'zod'
import { ConversationIdSchema } from '../protocol/conversation-id'
import { defineContract } from './define'
import type { ConversationSummary } from './conversations'

export interface MessageRequestSettings {
  /** Let anyone's first message into the conversation list (off: strangers land in Requests). */
  acceptFromAnyone: boolean
}

export interface MessageRequestsEvents {
  /** A message request was deleted with its messages: drop it from every list. */
  conversationRemoved: { conversationId: string }
}

export interface MessageRequestsService {
  /** Conversations in the 'requests' folder, newest first. */
  list(): Promise<ConversationSummary[]>
  /** Moves a message request into the conversation list (read receipts and notifications start). */
  accept(conversationId: string): Promise<ConversationSummary>
  /** Deletes a message request and its messages from this history. */
  remove(conversationId: string): Promise<void>
  settings(): Promise<MessageRequestSettings>
  setAcceptFromAnyone(on: boolean): Promise<MessageRequestSettings>
}

export const messageRequestsContract = defineContract<MessageRequestsService, MessageRequestsEvents>()({
  methods: {
    list: z.tuple([]),
    accept: z.tuple([ConversationIdSchema]),
    remove: z.tuple([ConversationIdSchema]),
    settings: z.tuple([]),
    setAcceptFromAnyone: z.tuple([z.boolean()]),
  },
  events: ['conversationRemoved'],
})
