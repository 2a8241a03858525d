// Placeholder until the feature lands: registered so the contract is complete.
import { ParleyError } from '../../../../shared/rpc'
import { defineFeature } from '../../kernel/feature'
import type { BlockingApi } from './api'

const notYet = async (): Promise<never> => {
  throw new ParleyError('This part of Parley is not built yet.', 'failed')
}

export const blockingFeature = defineFeature({
  name: 'blocking',
  create() {
    return {
      api: { isBlocked: () => false, onChange: () => {} } satisfies BlockingApi,
      service: { list: notYet, block: notYet, unblock: notYet },
    }
  },
})
