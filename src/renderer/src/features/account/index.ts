/** Account: who I am, the first-run set-up, the connection to the broker, and the Broker and Account settings. */
import { defineFeature, type FeatureContext } from '../feature'
import AccountSection from './AccountSection.vue'
import BrokerSection from './BrokerSection.vue'
import { setupAccount } from './io'

function setup(ctx: FeatureContext): ReturnType<typeof setupAccount> {
  const hooks = setupAccount(ctx)
  ctx.extensions.add('settings.section', { id: 'broker', title: 'Broker', order: 50, component: BrokerSection })
  ctx.extensions.add('settings.section', { id: 'account', title: 'Account', order: 90, component: AccountSection })
  return hooks
}

export const account = defineFeature({ name: 'account', setup })

export { useAccountStore } from './store'
export { useAccountActions, AccountActionsKey, type AccountActions } from './io'
export { default as SetupView } from './SetupView.vue'
export { default as ConnectionBadge } from './ConnectionBadge.vue'
export { default as ConnectionNotice } from './ConnectionNotice.vue'
