// Placeholder until the feature lands: registered so the contract is complete.
import { ParleyError } from '../../../../shared/rpc'
import { defineFeature } from '../../kernel/feature'
import type { ContactsApi } from './api'
import { migration0009 } from './migrations/0009_contacts'

const notYet = async (): Promise<never> => {
  throw new ParleyError('This part of Parley is not built yet.', 'failed')
}

export const contactsFeature = defineFeature({
  name: 'contacts',
  migrations: [migration0009],
  create() {
    return {
      api: { isContact: () => false, contacts: () => [], onChange: () => {} } satisfies ContactsApi,
      service: { list: notYet, request: notYet, accept: notYet, decline: notYet, cancel: notYet, remove: notYet },
    }
  },
})
