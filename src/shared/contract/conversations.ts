import { z } from 'zod'
import { NameSchema } from '../protocol/names'
import { ConversationIdSchema, type ConversationKind } from '../protocol/conversation-id'
import { defineContract } from './define'
import type { ChatMessage } from './messages'

/** 'requests': someone who is not a contact wrote first; held apart (no notification, no read receipts) until accepted. */
export type ConversationFolder = 'inbox' | 'requests'

export interface ConversationSummary {
  id: string
  kind: ConversationKind
  /** The other end: a user name for 'dm'; the group, topic or region for the other kinds. */
  peer: string
  title: string
  folder: ConversationFolder
  lastMessage: Pick<ChatMessage, 'id' | 'text' | 'ts' | 'sender' | 'direction' | 'status'> | null
  unread: number
  /** ms since epoch of the latest activity, for ordering. */
  updatedAt: number
}

export interface ConversationService {
  list(): Promise<ConversationSummary[]>
  /** Finds or creates the 1:1 conversation with `peer`. */
  open(peer: string): Promise<ConversationSummary>
  /** The person has seen the conversation (it is open and the window has focus). */
  markRead(conversationId: string): Promise<void>
}

export interface ConversationEvents {
  conversation: ConversationSummary
}

export const conversationsContract = defineContract<ConversationService, ConversationEvents>()({
  methods: {
    list: z.tuple([]),
    open: z.tuple([NameSchema]),
    markRead: z.tuple([ConversationIdSchema]),
  },
  events: ['conversation'],
})
