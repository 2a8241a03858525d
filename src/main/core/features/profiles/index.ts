// Placeholder until the feature lands: registered so the contract is complete.
import { ParleyError } from '../../../../shared/rpc'
import { defineFeature } from '../../kernel/feature'
import type { ProfilesApi } from './api'

const notYet = async (): Promise<never> => {
  throw new ParleyError('This part of Parley is not built yet.', 'failed')
}

export const profilesFeature = defineFeature({
  name: 'profiles',
  create() {
    return {
      api: { displayName: (u: string) => u } satisfies ProfilesApi,
      service: { mine: notYet, update: notYet, setAvatar: notYet, get: notYet },
    }
  },
})
