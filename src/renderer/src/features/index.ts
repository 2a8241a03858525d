/**
 * The renderer's features, one line each. The app installs them in dependency
 * order (see app/install.ts); a new feature is a folder here and one line below.
 */
import { account } from './account'
import { conversations } from './conversations'
import type { Feature } from './feature'
import { messages } from './messages'
import { presence } from './presence'
import { typing } from './typing'
import { settings } from './settings'
import { profiles } from './profiles'
import { contacts } from './contacts'
import { messageRequests } from './message-requests'
import { blocking } from './blocking'
import { moments } from './moments'
import { phone } from './phone'
import { devices } from './devices'
import { groups } from './groups'
import { rooms } from './rooms'
import { broadcasts } from './broadcasts'
import { sendList } from './send-list'
import { search } from './search'
import { history } from './history'

export const FEATURES: readonly Feature[] = [
  account,
  conversations,
  messages,
  presence,
  typing,
  settings,
  profiles,
  contacts,
  messageRequests,
  blocking,
  moments,
  phone,
  devices,
  groups,
  rooms,
  broadcasts,
  sendList,
  search,
  history,
]
