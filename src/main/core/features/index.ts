/**
 * The engine's features, in registration order (a feature comes after those it
 * depends on). Adding a feature is its folder and one line here.
 */
import type { Feature } from '../kernel/feature'
import { orderMigrations } from '../store/migrate'
import { MIGRATIONS as KERNEL_MIGRATIONS } from '../store/migrations'
import { conversationsFeature } from './conversations'
import { messagesFeature } from './messages'
import { presenceFeature } from './presence'
import { receiptsFeature } from './receipts'
import { typingFeature } from './typing'
import { devicesFeature } from './devices'
import { blockingFeature } from './blocking'
import { contactsFeature } from './contacts'
import { messageRequestsFeature } from './message-requests'
import { profilesFeature } from './profiles'
import { momentsFeature } from './moments'
import { phoneFeature } from './phone'
import { groupsFeature } from './groups'
import { roomsFeature } from './rooms'
import { broadcastsFeature } from './broadcasts'
import { searchFeature } from './search'
import { historyFeature } from './history'

export const FEATURES: readonly Feature[] = [
  conversationsFeature,
  messagesFeature,
  presenceFeature,
  typingFeature,
  receiptsFeature,
  devicesFeature,
  blockingFeature,
  contactsFeature,
  messageRequestsFeature,
  profilesFeature,
  momentsFeature,
  phoneFeature,
  groupsFeature,
  roomsFeature,
  broadcastsFeature,
  searchFeature,
  historyFeature,
]

/** Every migration, kernel's and features', in the one global order. */
export const ALL_MIGRATIONS = orderMigrations([KERNEL_MIGRATIONS, ...FEATURES.map((f) => f.migrations ?? [])])
