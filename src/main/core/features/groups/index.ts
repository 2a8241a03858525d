// Placeholder until the feature lands (issue 9): registered so the contract is complete.
import { defineFeature } from '../../kernel/feature'

export const groupsFeature = defineFeature({
  name: 'groups',
  create() {
    return { service: { list: async () => [] } }
  },
})
