import { ParleyError } from '../../../../shared/rpc'
import { defineFeature } from '../../kernel/feature'

/** Export and import of the message history (being built). */
export const historyFeature = defineFeature({
  name: 'history',
  dependsOn: ['conversations', 'messages'],
  create() {
    const notYet = async (): Promise<never> => {
      throw new ParleyError('Export and import are not ready yet.', 'failed')
    }
    return { service: { exportHistory: notYet, importHistory: notYet, cancel: async () => {} } }
  },
})
