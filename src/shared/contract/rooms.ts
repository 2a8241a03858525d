import { z } from 'zod'
import { defineContract } from './define'

/** Placeholder: the rooms feature defines its service here (issue 9). */
export interface RoomsService {
  list(): Promise<unknown[]>
}

export const roomsContract = defineContract<RoomsService>()({
  methods: { list: z.tuple([]) },
  events: [],
})
