import { z } from 'zod'
import { NameSchema } from '../protocol/names'
import { defineContract } from './define'

export interface BlockedUser {
  user: string
  /** ms since epoch. */
  since: number
  /** They were sent seed 000's Unsub notice with "notify". */
  notified: boolean
}

export const BlockOptionsSchema = z.object({ notify: z.boolean().default(false) })
export type BlockOptions = z.input<typeof BlockOptionsSchema>

export interface BlockingService {
  list(): Promise<BlockedUser[]>
  /**
   * Drops everything from `user` from now on (messages, requests, presence, typing,
   * profile, moments), here and on my other devices; they stop following my moments.
   */
  block(user: string, options?: BlockOptions): Promise<BlockedUser>
  unblock(user: string): Promise<void>
}

export interface BlockingEvents {
  /** Someone was blocked (blocked: true) or unblocked. */
  blocked: { user: string; blocked: boolean }
}

export const blockingContract = defineContract<BlockingService, BlockingEvents>()({
  methods: {
    list: z.tuple([]),
    block: z.union([z.tuple([NameSchema]), z.tuple([NameSchema, BlockOptionsSchema])]),
    unblock: z.tuple([NameSchema]),
  },
  events: ['blocked'],
})
