import { z } from 'zod'
import { RegionListSchema, RegionSchema } from '../protocol/broadcasts'
import { MessageTextSchema } from '../schemas'
import type { ChatMessage } from './messages'
import { defineContract } from './define'

/**
 * Regional broadcasts: what this account follows, and whether it may publish.
 * Each region is a read-only conversation `system:{region}`.
 */
export interface BroadcastSettings {
  /** The regions followed (subscribed to `R/System/{region}`), sorted. */
  regions: string[]
  /**
   * This account is flagged admin here (set from the CLI: `parley admin on`), so
   * Parley offers publishing. Only the broker's ACL really decides who may publish.
   */
  admin: boolean
}

export const PublishBroadcastSchema = z.object({ region: RegionSchema, text: MessageTextSchema })
export type PublishBroadcast = z.infer<typeof PublishBroadcastSchema>

export interface BroadcastsService {
  /** The regions followed, sorted. */
  regions(): Promise<string[]>
  settings(): Promise<BroadcastSettings>
  /** Follows exactly these regions (subscribes the new ones, unsubscribes the others); their conversations stay. */
  setRegions(regions: string[]): Promise<BroadcastSettings>
  /** Flags this account admin or not here; not offered in the interface. */
  setAdmin(admin: boolean): Promise<BroadcastSettings>
  /**
   * Publishes a broadcast to a region (admins only; else refused with a reason):
   * stored as my message in `system:{region}`, pending until the broker has it, or
   * failed with the broker's reason (an ACL denial).
   */
  publish(input: PublishBroadcast): Promise<ChatMessage>
}

export interface BroadcastsEvents {
  broadcastSettings: BroadcastSettings
}

export const broadcastsContract = defineContract<BroadcastsService, BroadcastsEvents>()({
  methods: {
    regions: z.tuple([]),
    settings: z.tuple([]),
    setRegions: z.tuple([RegionListSchema]),
    setAdmin: z.tuple([z.boolean()]),
    publish: z.tuple([PublishBroadcastSchema]),
  },
  events: ['broadcastSettings'],
})
