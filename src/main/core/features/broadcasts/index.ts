// Placeholder until the feature lands (issue 9): registered so the contract is complete.
import { defineFeature } from '../../kernel/feature'

export const broadcastsFeature = defineFeature({
  name: 'broadcasts',
  create() {
    return { service: { regions: async () => [] } }
  },
})
