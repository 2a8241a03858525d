// Placeholder until the feature lands: registered so the contract is complete.
import { ParleyError } from '../../../../shared/rpc'
import { defineFeature } from '../../kernel/feature'
import type { ContactsApi } from './api'

const notYet = async (): Promise<never> => {
  throw new ParleyError('This part of Parley is not built yet.', 'failed')
}

export const contactsFeature = defineFeature({
  name: 'contacts',
  create() {
    return {
      api: { isContact: () => false, contacts: () => [], onChange: () => {} } satisfies ContactsApi,
      service: { list: notYet, request: notYet, accept: notYet, decline: notYet, cancel: notYet, remove: notYet },
    }
  },
})
