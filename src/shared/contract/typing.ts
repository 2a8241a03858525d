import { z } from 'zod'
import { ConversationIdSchema } from '../protocol/conversation-id'
import { defineContract } from './define'

export interface TypingNotice {
  conversationId: string
  user: string
  /** false: stopped (a message arrived from them, or the notice expired). */
  typing: boolean
}

export interface TypingService {
  /** The person is typing in this conversation; the engine throttles what goes out. */
  typing(conversationId: string): Promise<void>
}

export interface TypingEvents {
  typing: TypingNotice
}

export const typingContract = defineContract<TypingService, TypingEvents>()({
  methods: {
    typing: z.tuple([ConversationIdSchema]),
  },
  events: ['typing'],
})
