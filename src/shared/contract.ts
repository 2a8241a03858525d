/**
 * The one declaration of what Parley's engine offers its user interfaces.
 * Electron IPC (main + preload), the web host's WebSocket bridge and the CLI all
 * derive from these interfaces and the argument schemas below; the renderer only
 * ever sees a `ParleyApi`.
 */
import { z } from 'zod'
import {
  AccountSetupSchema,
  ConversationIdSchema,
  MessageTextSchema,
  PageCursorSchema,
  type AccountSetup,
  type BrokerSettings,
  type PageCursor,
} from './schemas'
import { NameSchema } from './names'

export type ConnectionState = 'idle' | 'connecting' | 'connected' | 'reconnecting' | 'error'

export interface ConnectionStatus {
  state: ConnectionState
  /** Where we connect, for display (no credentials). */
  broker: string | null
  /** Person-readable detail: the last error, or why we are idle. */
  detail: string | null
  protocolVersion: 4 | 5 | null
  /** When state is 'reconnecting': ms until the next attempt. */
  retryInMs: number | null
}

/** Broker settings as shown to the UI: the password never leaves the engine. */
export type PublicBrokerSettings =
  | Extract<BrokerSettings, { kind: 'embedded' }>
  | (Omit<Extract<BrokerSettings, { kind: 'url' }>, 'password' | 'ca'> & { hasPassword: boolean; hasCa: boolean })

export interface AccountState {
  configured: boolean
  user: string | null
  broker: PublicBrokerSettings | null
  clientId: string | null
  dataDir: string
  connection: ConnectionStatus
  /** Set when settings could not be read (they were kept aside, not deleted). */
  problem: string | null
}

export type MessageStatus = 'pending' | 'sent' | 'received'

export interface ChatMessage {
  id: string
  conversationId: string
  sender: string
  direction: 'in' | 'out'
  /** Sender's clock, ms since epoch. */
  ts: number
  text: string
  status: MessageStatus
}

export interface ConversationSummary {
  id: string
  kind: 'dm'
  peer: string
  title: string
  lastMessage: Pick<ChatMessage, 'id' | 'text' | 'ts' | 'sender' | 'direction' | 'status'> | null
  unread: number
  /** ms since epoch of the latest activity, for ordering. */
  updatedAt: number
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

export interface AccountService {
  getState(): Promise<AccountState>
  /** First-run set-up (or a change of user/broker). Connects right away. */
  setup(input: AccountSetup): Promise<AccountState>
  /** Skip the back-off wait and try the broker now. */
  reconnect(): Promise<void>
}

export interface ConversationService {
  list(): Promise<ConversationSummary[]>
  /** Finds or creates the 1:1 conversation with `peer`. */
  open(peer: string): Promise<ConversationSummary>
  markRead(conversationId: string): Promise<void>
}

export interface MessageService {
  page(query: PageQuery): Promise<MessagePage>
  send(input: SendInput): Promise<ChatMessage>
}

export interface ParleyServices {
  account: AccountService
  conversations: ConversationService
  messages: MessageService
}

export interface ParleyEvents {
  connection: ConnectionStatus
  account: AccountState
  /** A new message, or a change of an existing one (pending → sent). */
  message: ChatMessage
  conversation: ConversationSummary
}
export type ParleyEventName = keyof ParleyEvents
export const EVENT_NAMES = ['connection', 'account', 'message', 'conversation'] as const satisfies readonly ParleyEventName[]

export type Unsubscribe = () => void

export type ParleyApi = ParleyServices & {
  on<K extends ParleyEventName>(event: K, listener: (payload: ParleyEvents[K]) => void): Unsubscribe
}

type ArgSchemas<S> = {
  [K in keyof S]: { [M in keyof S[K]]: z.ZodType<unknown[]> }
}

/**
 * Argument schemas, one per method: every call that crosses a trust boundary is
 * parsed with these before it reaches a service. Their keys are also the list of
 * methods a client proxy exposes, so a method exists in one place only.
 */
export const METHOD_ARGS = {
  account: {
    getState: z.tuple([]),
    setup: z.tuple([AccountSetupSchema]),
    reconnect: z.tuple([]),
  },
  conversations: {
    list: z.tuple([]),
    open: z.tuple([NameSchema]),
    markRead: z.tuple([ConversationIdSchema]),
  },
  messages: {
    page: z.tuple([PageQuerySchema]),
    send: z.tuple([SendInputSchema]),
  },
} as const satisfies ArgSchemas<ParleyServices>

export type ServiceName = keyof ParleyServices
export type { AccountSetup, BrokerSettings, PageCursor }
