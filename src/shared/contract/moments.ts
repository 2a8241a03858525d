import { z } from 'zod'
import { NameSchema } from '../protocol/names'
import { MessageTextSchema, PageCursorSchema } from '../schemas'
import { defineContract } from './define'

/**
 * Mine: 'pending' until the broker has it, then 'sent' ('failed' when the broker
 * refused it); someone else's: 'received'.
 */
export type MomentStatus = 'pending' | 'sent' | 'failed' | 'received'

export interface Moment {
  id: string
  author: string
  text: string
  /** Author's clock, ms since epoch. */
  ts: number
  mine: boolean
  status: MomentStatus
}

export interface MomentsPage {
  /** Newest first. */
  moments: Moment[]
  hasMore: boolean
}

export const FeedQuerySchema = z.object({
  before: PageCursorSchema.nullish(),
  limit: z.number().int().min(1).max(200).default(30),
})
export type FeedQuery = z.input<typeof FeedQuerySchema>

export interface MomentsService {
  /** Posts to my followers (seed 000 scenario 2: `R/{me}`). */
  post(text: string): Promise<Moment>
  /** My feed: my posts and those of the people I follow, newest first, kept for offline reading. */
  feed(query: FeedQuery): Promise<MomentsPage>
  /** Whom I follow (contacts by default, unless unfollowed). */
  following(): Promise<string[]>
  follow(user: string, on: boolean): Promise<string[]>
}

export interface MomentsEvents {
  /** A new moment, or one of mine whose status changed (the same id again: replace it). */
  moment: Moment
  /** `user` told me to stop following them (they blocked me); `notify`: they asked for me to be told. */
  unfollowedBy: { user: string; notify: boolean }
}

export const momentsContract = defineContract<MomentsService, MomentsEvents>()({
  methods: {
    post: z.tuple([MessageTextSchema]),
    feed: z.tuple([FeedQuerySchema]),
    following: z.tuple([]),
    follow: z.tuple([NameSchema, z.boolean()]),
  },
  events: ['moment', 'unfollowedBy'],
})
