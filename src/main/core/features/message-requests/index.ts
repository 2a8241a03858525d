// Placeholder until the feature lands: registered so the contract is complete.
import { ParleyError } from '../../../../shared/rpc'
import { defineFeature } from '../../kernel/feature'

const notYet = async (): Promise<never> => {
  throw new ParleyError('This part of Parley is not built yet.', 'failed')
}

export const messageRequestsFeature = defineFeature({
  name: 'messageRequests',
  create() {
    return {
      service: { list: notYet, accept: notYet, remove: notYet, settings: notYet, setAcceptFromAnyone: notYet },
    }
  },
})
