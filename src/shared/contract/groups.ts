import { z } from 'zod'
import { defineContract } from './define'

/** Placeholder: the groups feature defines its service here (issue 9). */
export interface GroupsService {
  list(): Promise<unknown[]>
}

export const groupsContract = defineContract<GroupsService>()({
  methods: { list: z.tuple([]) },
  events: [],
})
