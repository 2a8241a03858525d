import { z } from 'zod'
import { MAX_TEXT_LENGTH } from '../schemas'
import { NameSchema } from './names'

export const ENVELOPE_VERSION = 1

/** Ids are UUIDv7: they sort by creation time, and a re-delivered message is recognised. */
export const MessageIdSchema = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, {
  error: 'id must be a UUID',
})

/** Most message ids one receipt carries (a burst is acknowledged in slices). */
export const MAX_RECEIPT_IDS = 1000

const base = {
  v: z.literal(ENVELOPE_VERSION),
  id: MessageIdSchema,
  from: NameSchema,
  /** The sender's public device id (never the MQTT client id). */
  dev: z.string().min(1).max(128).optional(),
  ts: z.number().int().nonnegative(),
  seq: z.number().int().nonnegative().optional(),
}

/**
 * The JSON payload of Parley's own topics (docs/protocol.md): one shape of header
 * and a body per `type`. Features add their type here; the codec decodes them all
 * through one path.
 */
export const EnvelopeSchema = z.discriminatedUnion('type', [
  z.object({ ...base, type: z.literal('text'), body: z.object({ text: z.string().min(1).max(MAX_TEXT_LENGTH) }) }),
  z.object({
    ...base,
    type: z.literal('receipt'),
    body: z.object({ kind: z.enum(['delivered', 'read']), ids: z.array(MessageIdSchema).min(1).max(MAX_RECEIPT_IDS) }),
  }),
  z.object({ ...base, type: z.literal('typing'), body: z.object({ conversation: z.string().max(300).optional() }) }),
  z.object({
    ...base,
    type: z.literal('presence'),
    body: z.object({ state: z.enum(['online', 'away', 'dnd', 'offline']), lastSeen: z.number().int().nonnegative().optional() }),
  }),
])
export type Envelope = z.infer<typeof EnvelopeSchema>
export type EnvelopeType = Envelope['type']
export type EnvelopeOf<T extends EnvelopeType> = Extract<Envelope, { type: T }>
export type EnvelopeBody<T extends EnvelopeType> = EnvelopeOf<T>['body']
