import { z } from 'zod'
import { defineContract } from './define'

/** Placeholder: the broadcasts feature defines its service here (issue 9). */
export interface BroadcastsService {
  regions(): Promise<string[]>
}

export const broadcastsContract = defineContract<BroadcastsService>()({
  methods: { regions: z.tuple([]) },
  events: [],
})
