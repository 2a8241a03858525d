/** Contacts: the Contacts tab (friend requests, contacts, sent requests, "Add a contact") and a person's details. */
import { defineFeature, type FeatureContext } from '../feature'
import ContactDetails from './ContactDetails.vue'
import ContactsPanel from './ContactsPanel.vue'
import DetailsButton from './DetailsButton.vue'
import { setupContacts } from './io'
import { useContactsStore } from './store'

function setup(ctx: FeatureContext): void {
  setupContacts(ctx)
  const store = useContactsStore(ctx.pinia)
  ctx.extensions.add('sidebar.panel', {
    id: 'contacts',
    label: 'Contacts',
    order: 10,
    badge: () => store.incoming.length || null,
    component: ContactsPanel,
  })
  ctx.extensions.add('app.overlay', ContactDetails)
  ctx.extensions.add('conversation.actions', DetailsButton)
}

export const contacts = defineFeature({ name: 'contacts', dependsOn: ['account', 'conversations', 'blocking'], setup })

export { useContactsStore } from './store'
export { useContactsActions, ContactsActionsKey, type ContactsActions } from './io'
