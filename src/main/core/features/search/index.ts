import { defineFeature } from '../../kernel/feature'

/** Full-text search over every stored message (being built). */
export const searchFeature = defineFeature({
  name: 'search',
  dependsOn: ['conversations', 'messages'],
  create() {
    return {
      service: {
        async search() {
          return { hits: [], next: null, pending: 0, parsed: { terms: [], from: null, in: null, before: null, after: null, hasLink: false, notes: [] } }
        },
        async status() {
          return { indexed: 0, pending: 0 }
        },
      },
    }
  },
})
