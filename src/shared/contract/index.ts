/**
 * The one declaration of what Parley's engine offers its user interfaces, composed
 * from one file per feature. Electron IPC (main + preload), the web host's
 * WebSocket bridge and the CLI all derive from CONTRACT; the renderer only ever
 * sees a `ParleyApi`. A new feature adds its file and one line to CONTRACT.
 */
import type { z } from 'zod'
import { accountContract } from './account'
import { blockingContract } from './blocking'
import { broadcastsContract } from './broadcasts'
import { contactsContract } from './contacts'
import { conversationsContract } from './conversations'
import type { EventsOf, ServiceOf, Unsubscribe } from './define'
import { devicesContract } from './devices'
import { groupsContract } from './groups'
import { historyContract } from './history'
import { messageRequestsContract } from './message-requests'
import { messagesContract } from './messages'
import { momentsContract } from './moments'
import { phoneContract } from './phone'
import { presenceContract } from './presence'
import { profilesContract } from './profiles'
import { receiptsContract } from './receipts'
import { roomsContract } from './rooms'
import { searchContract } from './search'
import { typingContract } from './typing'

export const CONTRACT = {
  account: accountContract,
  conversations: conversationsContract,
  messages: messagesContract,
  presence: presenceContract,
  typing: typingContract,
  receipts: receiptsContract,
  devices: devicesContract,
  blocking: blockingContract,
  contacts: contactsContract,
  messageRequests: messageRequestsContract,
  profiles: profilesContract,
  moments: momentsContract,
  phone: phoneContract,
  groups: groupsContract,
  rooms: roomsContract,
  broadcasts: broadcastsContract,
  search: searchContract,
  history: historyContract,
} as const

type Contract = typeof CONTRACT
type UnionToIntersection<U> = (U extends unknown ? (x: U) => void : never) extends (x: infer I) => void ? I : never

export type ServiceName = keyof Contract
export type ParleyServices = { [K in ServiceName]: ServiceOf<Contract[K]> }
export type ParleyEvents = UnionToIntersection<{ [K in ServiceName]: EventsOf<Contract[K]> }[ServiceName]>
export type ParleyEventName = keyof ParleyEvents

/**
 * Argument schemas, one per method: every call that crosses a trust boundary is
 * parsed with these before it reaches a service. Their keys are also the list of
 * methods a client proxy exposes, so a method exists in one place only.
 */
export const METHOD_ARGS = Object.fromEntries(Object.entries(CONTRACT).map(([name, c]) => [name, c.methods])) as unknown as {
  readonly [K in ServiceName]: Record<keyof ParleyServices[K], z.ZodType<unknown[]>>
}

export const EVENT_NAMES: readonly ParleyEventName[] = Object.values(CONTRACT).flatMap((c) => c.events as readonly ParleyEventName[])

export type ParleyApi = ParleyServices & {
  on<K extends ParleyEventName>(event: K, listener: (payload: ParleyEvents[K]) => void): Unsubscribe
}

export type { Unsubscribe }
export * from './account'
export * from './blocking'
export * from './broadcasts'
export * from './contacts'
export * from './devices'
export * from './groups'
export * from './history'
export * from './message-requests'
export * from './moments'
export * from './phone'
export * from './profiles'
export * from './conversations'
export * from './messages'
export * from './presence'
export * from './receipts'
export * from './rooms'
export * from './typing'
export * from './search'
