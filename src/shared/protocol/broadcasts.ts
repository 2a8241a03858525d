import { z } from 'zod'
import { NameSchema, SYSTEM_NAME } from './names'

/**
 * Regional broadcasts (seed 000): announcements an operator's admin accounts
 * publish on `R/System/{region}` to everyone who picked that region. `System` is a
 * reserved name (NameSchema refuses it), so no user's `R/{user}/…` can meet these
 * topics; the broker ACL decides who may write them (docs/protocol.md).
 */

/** A region is one topic level, named by the same rules as a user. */
export const RegionSchema = NameSchema

/** Most regions one account follows. */
export const MAX_REGIONS = 32

export const RegionListSchema = z
  .array(RegionSchema)
  .max(MAX_REGIONS, { error: `At most ${MAX_REGIONS} regions.` })
  .transform((list) => [...new Set(list)].sort())

export function broadcastTopic(root: string, region: string): string {
  return `${root}/${SYSTEM_NAME}/${region}`
}

/** `R/System/{region}` → the region, or null for any other topic (or a region that is not a valid name). */
export function parseBroadcastTopic(root: string, topic: string): string | null {
  const prefix = `${root}/${SYSTEM_NAME}/`
  if (!topic.startsWith(prefix)) return null
  const region = topic.slice(prefix.length)
  return RegionSchema.safeParse(region).success ? region : null
}
