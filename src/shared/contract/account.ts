import { z } from 'zod'
import { AccountSetupSchema, type AccountSetup, type BrokerSettings } from '../schemas'
import { defineContract } from './define'

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
  /** This installation's public device id (the one other people see); the MQTT client id stays private. */
  deviceId: string | null
  dataDir: string
  connection: ConnectionStatus
  /** Set when settings could not be read (they were kept aside, not deleted). */
  problem: string | null
}

export interface AccountService {
  getState(): Promise<AccountState>
  /** First-run set-up (or a change of user/broker). Connects right away. */
  setup(input: AccountSetup): Promise<AccountState>
  /** Skip the back-off wait and try the broker now. */
  reconnect(): Promise<void>
}

export interface AccountEvents {
  connection: ConnectionStatus
  account: AccountState
}

export const accountContract = defineContract<AccountService, AccountEvents>()({
  methods: {
    getState: z.tuple([]),
    setup: z.tuple([AccountSetupSchema]),
    reconnect: z.tuple([]),
  },
  events: ['connection', 'account'],
})

export type { AccountSetup, BrokerSettings }
