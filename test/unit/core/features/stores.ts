import type Database from 'better-sqlite3'
import { ConversationStore } from '../../../../src/main/core/features/conversations/store'
import { MessageStore, type NewMessage } from '../../../../src/main/core/features/messages/store'
import { freshHistory } from './feature-context'

/** A fresh in-memory history with every migration, and the two stores over it as the engine wires them. */
export function openStores(): { db: Database.Database; messages: MessageStore; conversations: ConversationStore } {
  const db = freshHistory()
  const conversations = new ConversationStore(db)
  return { db, conversations, messages: new MessageStore(db, conversations) }
}

/** Message timestamps in the future, so they (not the conversation's creation time) decide the order. */
export const T = Date.now() + 1_000_000

let n = 0
/** A message with a fresh UUID-shaped id; incoming from alice unless overridden. */
export function msg(over: Partial<NewMessage> & { peer?: string } = {}): NewMessage {
  n++
  const { peer = 'alice', ...rest } = over
  return {
    id: `00000000-0000-7000-8000-${String(n).padStart(12, '0')}`,
    conversationId: `dm:${peer}`,
    sender: peer,
    senderDevice: 'dev-a',
    direction: 'in',
    ts: T + n,
    seq: n,
    text: `message ${n}`,
    status: 'received',
    ...rest,
  }
}
