// Placeholder until the feature lands (issue 9): the contract is final, the engine follows.
import { ParleyError } from '../../../../shared/rpc'
import { defineFeature } from '../../kernel/feature'

const notYet = async (): Promise<never> => {
  throw new ParleyError('Groups are not available yet.')
}

export const groupsFeature = defineFeature({
  name: 'groups',
  create() {
    return {
      service: {
        list: async () => [],
        get: notYet,
        create: notYet,
        invite: notYet,
        accept: notYet,
        decline: notYet,
        leave: notYet,
        remove: notYet,
        rename: notYet,
        setAvatar: notYet,
        addAdmin: notYet,
        setMuted: notYet,
        receiptCounts: notYet,
      },
    }
  },
})
