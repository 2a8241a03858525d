/** Account: who I am, the first-run set-up, and the connection to the broker. */
import { defineFeature } from '../feature'
import { setupAccount } from './io'

export const account = defineFeature({ name: 'account', setup: setupAccount })

export { useAccountStore } from './store'
export { useAccountActions, AccountActionsKey, type AccountActions } from './io'
export { default as SetupView } from './SetupView.vue'
export { default as ConnectionBadge } from './ConnectionBadge.vue'
export { default as ConnectionNotice } from './ConnectionNotice.vue'
