import type { ChatMessage } from '../../../../shared/contract'
import type { ConversationKind } from '../../../../shared/protocol/conversation-id'
import type { PageCursor } from '../../../../shared/schemas'
import type { Account } from '../../kernel/feature'
import type { AfterCommit } from '../../mqtt/router'
import type { OutgoingMessage } from './store'

/** A message I sent, as it was stored here (and as my other devices mirror it). */
export type SentMessage = OutgoingMessage

/** One batch of incoming messages, as the receive path stored it. */
export interface ReceivedBatch {
  /** Newly stored messages. */
  stored: readonly ChatMessage[]
  /** Per sender, the ids of their Parley messages in this batch that are in the history now (new or stored before). */
  idsBySender: ReadonlyMap<string, readonly string[]>
}

/** How messages of one conversation kind travel: where they are published. */
export interface ConversationTransport {
  topic(account: Account, address: string): string
  /** Offer again until a delivery receipt confirms it (1:1 messages). */
  reoffer: boolean
  /**
   * The payload to publish instead of a sealed envelope, for kinds whose peers are
   * not Parley (a room's plain text for any MQTT client).
   */
  encode?(account: Account, address: string, m: SentMessage): Buffer
}

/** A message that did not come as a Parley envelope (a room's plain text): the kind that received it says who sent it. */
export interface ForeignMessage {
  id: string
  conversationId: string
  /** As the kind read it from the payload; not a Parley user name. */
  sender: string
  ts: number
  text: string
}

/** A message from an exported history, stored again under its own id (no error: that was this device's). */
export type HistoryMessage = Omit<ChatMessage, 'error'>

/** What other features get from the messages feature (through `dependsOn: ['messages']`). */
export interface MessagesApi {
  /**
   * Runs inside the receive transaction after a batch is stored; what it writes
   * commits with the batch, and what it returns runs after the acknowledgement.
   */
  onReceived(listener: (batch: ReceivedBatch) => AfterCommit): void
  /**
   * Moves my messages to `status` when `peer` says so (a receipt); only forward, only
   * in our 1:1 conversation. Returns the messages that changed, to `announce` after the commit.
   */
  advance(peer: string, ids: readonly string[], status: 'delivered' | 'read'): ChatMessage[]
  /** Tells the UI about changed messages (and their conversations). */
  announce(messages: readonly ChatMessage[]): void
  /**
   * Marks what came in on a conversation as seen here (with `upTo`, only up to that
   * message); returns those messages' ids.
   */
  markSeen(conversationId: string, upTo?: PageCursor): string[]
  /** How many incoming messages of the conversation are not seen here yet. */
  unseenCount(conversationId: string): number
  /** Called inside the transaction that stores a message I send from this device. */
  onSent(listener: (m: SentMessage) => void): void
  /**
   * Stores a message I sent from another device of mine (device sync), inside the
   * caller's transaction: outgoing, status 'sent', never published from here; stored
   * once by id. Returns it when it is new, to `announce` after the commit.
   */
  storeMirrored(m: SentMessage): ChatMessage | null
  /**
   * Stores incoming messages that came as something other than a Parley envelope,
   * inside the caller's (the receive path's) transaction: status 'received', no
   * receipts, no onReceived listeners (there is no Parley sender to answer). Returns
   * those that were new, to `announce` after the commit.
   */
  storeForeign(rows: readonly ForeignMessage[]): ChatMessage[]
  /**
   * Sends a text of mine to a conversation of a kind with a transport (a region's
   * broadcast), as the service's send does: stored pending with its outbox entry, announced.
   */
  send(conversationId: string, text: string): ChatMessage
  /** Lets a conversation kind (groups, rooms) send through the messages feature. */
  registerTransport(kind: ConversationKind, transport: ConversationTransport): void
  /** Deletes a conversation and every message in it from this history (a message request turned down). */
  removeConversation(conversationId: string): void
  /** Offers again now every unconfirmed message to `peer` (they just came online). */
  reofferTo(peer: string): void
  /** A conversation's messages oldest first after `after` (keyset), at most `limit`: an export's page. */
  oldestFirst(conversationId: string, after: PageCursor | null, limit: number): ChatMessage[]
  /** How many messages a conversation has (null: the whole history). */
  count(conversationId: string | null): number
  /**
   * Stores messages from an exported history in one transaction, each under its own
   * id, so importing the same file again adds nothing (a message deleted here stays
   * deleted). Incoming ones are stored seen and add nothing to unread counts; mine
   * that never reached the broker are stored failed (never put in the outbox). Sends
   * no receipts, calls no listeners, publishes nothing and announces nothing (the
   * caller announces the conversations). Returns the messages that were new.
   */
  storeHistory(rows: readonly HistoryMessage[]): ChatMessage[]
}

/** Message rowids are time keys (ts × slots + n): what other features order and bound by. */
export { MESSAGE_KEY_SLOTS, messageKeyAfter, messageKeyBase } from './time-key'

/** A messages row as queries select it, and the ChatMessage it is (for features that join messages, e.g. search). */
export { toMessage, type MessageRow } from './rows'
