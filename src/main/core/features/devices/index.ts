// Placeholder until the feature lands: registered so the contract is complete.
import { ParleyError } from '../../../../shared/rpc'
import { defineFeature } from '../../kernel/feature'
import type { DevicesApi } from './api'

const notYet = async (): Promise<never> => {
  throw new ParleyError('This part of Parley is not built yet.', 'failed')
}

export const devicesFeature = defineFeature({
  name: 'devices',
  create() {
    return {
      api: { share: () => {}, onShared: () => {} } satisfies DevicesApi,
      service: { list: notYet, offerLink: notYet, link: notYet, rename: notYet, remove: notYet },
    }
  },
})
