// Placeholder until the feature lands: registered so the contract is complete.
import { ParleyError } from '../../../../shared/rpc'
import { defineFeature } from '../../kernel/feature'

const notYet = async (): Promise<never> => {
  throw new ParleyError('This part of Parley is not built yet.', 'failed')
}

export const momentsFeature = defineFeature({
  name: 'moments',
  create() {
    return {
      service: { post: notYet, feed: notYet, following: notYet, follow: notYet },
    }
  },
})
