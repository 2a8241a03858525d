/** Phone: "Find friends by phone number" (an address book file) in the contacts panel, and Settings › Phone number. */
import { ContactsActionsKey } from '../contacts'
import { defineFeature, type FeatureContext } from '../feature'
import FindByPhone from './FindByPhone.vue'
import { setupPhone } from './io'
import PhoneImportDialog from './PhoneImportDialog.vue'
import PhoneSection from './PhoneSection.vue'

function setup(ctx: FeatureContext): void {
  setupPhone(ctx)
  ctx.onStop(ctx.inject(ContactsActionsKey).addTool(FindByPhone))
  ctx.extensions.add('app.overlay', PhoneImportDialog)
  ctx.extensions.add('settings.section', { id: 'phone', title: 'Phone number', order: 20, component: PhoneSection })
}

export const phone = defineFeature({ name: 'phone', dependsOn: ['account', 'contacts'], setup })

export { usePhoneStore } from './store'
export { usePhoneActions, PhoneActionsKey, type PhoneActions } from './io'
