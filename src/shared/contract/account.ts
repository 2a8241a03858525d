import { z } from 'zod'
import { AccountSetupSchema, BrokerSettingsSchema, type AccountSetup, type BrokerSettings } from '../schemas'
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

/**
 * How broker settings given by the UI relate to the stored ones. The UI never sees
 * the password (nor the CA), so "leave the password empty to keep it" needs saying.
 */
export const BrokerChangeSchema = z.object({
  /** A URL broker given without a password (or CA) keeps the current one (the CA only for the same host). */
  keepSecrets: z.boolean(),
})
export type BrokerChange = z.infer<typeof BrokerChangeSchema>

/** What "Test connection" found. */
export interface BrokerTestResult {
  ok: boolean
  /** For people: "Connected with MQTT 5." or what went wrong and what to do. */
  detail: string
  protocolVersion: 4 | 5 | null
}

export const SignOutSchema = z.object({
  /** Also empty history.db (every conversation, message and preference); otherwise it stays for the next sign-in. */
  deleteHistory: z.boolean(),
})
export type SignOutOptions = z.infer<typeof SignOutSchema>

/** Running Parley on another data directory (another account) from where this one runs. */
export interface DataDirSwitch {
  /** This shell can ask for a folder and restart Parley on it (the desktop app). */
  canRelaunch: boolean
  /** For people: how to start Parley on another data directory here. */
  howTo: string
}

export interface AccountService {
  getState(): Promise<AccountState>
  /** First-run set-up (or a change of user/broker). Connects right away. */
  setup(input: AccountSetup, change?: BrokerChange): Promise<AccountState>
  /** Skip the back-off wait and try the broker now. */
  reconnect(): Promise<void>
  /**
   * Connects a throwaway client (random id, clean, no will) to `broker` and says
   * whether it works, within a few seconds. Changes nothing.
   */
  testBroker(broker: AccountSetup['broker'], change?: BrokerChange): Promise<BrokerTestResult>
  /**
   * Says goodbye (presence offline), disconnects for good and forgets the settings;
   * with `deleteHistory` the history is emptied too. Works offline.
   */
  signOut(options: SignOutOptions): Promise<AccountState>
  dataDirSwitch(): Promise<DataDirSwitch>
  /** Asks for a folder and restarts Parley on it (desktop only); false when the person cancelled. */
  relaunchWithDataDir(): Promise<boolean>
}

export interface AccountEvents {
  connection: ConnectionStatus
  account: AccountState
}

export const accountContract = defineContract<AccountService, AccountEvents>()({
  methods: {
    getState: z.tuple([]),
    setup: z.tuple([AccountSetupSchema, BrokerChangeSchema.optional()]),
    reconnect: z.tuple([]),
    testBroker: z.tuple([BrokerSettingsSchema, BrokerChangeSchema.optional()]),
    signOut: z.tuple([SignOutSchema]),
    dataDirSwitch: z.tuple([]),
    relaunchWithDataDir: z.tuple([]),
  },
  events: ['connection', 'account'],
})

export type { AccountSetup, BrokerSettings }
