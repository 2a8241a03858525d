import type { ChatMessage, MessageStatus } from '../../../../shared/contract'

/** A row of `messages` as the queries select it (MESSAGE_COLUMNS). */
export interface MessageRow {
  id: string
  conversation_id: string
  sender: string
  direction: 'in' | 'out'
  ts: number
  text: string
  status: MessageStatus
  error: string | null
}

/** The columns a ChatMessage is read from. */
export const MESSAGE_COLUMNS = 'id, conversation_id, sender, direction, ts, text, status, error'

export const toMessage = (r: MessageRow): ChatMessage => ({
  id: r.id,
  conversationId: r.conversation_id,
  sender: r.sender,
  direction: r.direction,
  ts: r.ts,
  text: r.text,
  status: r.status,
  error: r.error,
})
