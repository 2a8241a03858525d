// Placeholder until the feature lands (issue 9): registered so the contract is complete.
import { defineFeature } from '../../kernel/feature'

export const roomsFeature = defineFeature({
  name: 'rooms',
  create() {
    return { service: { list: async () => [] } }
  },
})
