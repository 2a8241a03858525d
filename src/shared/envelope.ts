import { z } from 'zod'
import { NameSchema } from './names'
import { MAX_TEXT_LENGTH } from './schemas'

export const ENVELOPE_VERSION = 1

/**
 * The JSON payload of Parley's own topics (docs/protocol.md). `id` is a UUIDv7,
 * so ids sort by creation time and a re-delivered message is recognised.
 */
export const EnvelopeSchema = z.object({
  v: z.literal(ENVELOPE_VERSION),
  id: z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, {
    error: 'id must be a UUID',
  }),
  type: z.literal('text'),
  from: NameSchema,
  dev: z.string().min(1).max(128).optional(),
  ts: z.number().int().nonnegative(),
  seq: z.number().int().nonnegative().optional(),
  body: z.object({ text: z.string().min(1).max(MAX_TEXT_LENGTH) }),
})
export type Envelope = z.infer<typeof EnvelopeSchema>
