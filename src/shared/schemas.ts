import { z } from 'zod'
import { NameSchema } from './protocol/names'

/** Longest message text (in UTF-16 code units) Parley sends or stores. */
export const MAX_TEXT_LENGTH = 16_000
/** Largest MQTT payload Parley decodes; anything bigger is dropped unread. */
export const MAX_PAYLOAD_BYTES = 64 * 1024
/** Profiles (with an avatar) and device sync (a sealed copy of a long message) may be larger. */
export const MAX_LARGE_PAYLOAD_BYTES = 128 * 1024
/**
 * Largest MQTT packet Parley accepts (MQTT 5 Maximum Packet Size, sent on CONNECT so
 * the broker never forwards more; on 3.1.1 the client refuses larger packets itself).
 */
export const MAX_PACKET_BYTES = 256 * 1024

export const DEFAULT_ROOT = 'IMS'
export const DEFAULT_GROUP_ID = 'GID_PARLEY'
export const DEFAULT_EMBEDDED_PORT = 18830

const BrokerUrlSchema = z
  .string()
  .trim()
  .min(1, { error: 'A broker URL is required.' })
  .refine(
    (s) => {
      try {
        const u = new URL(s)
        return ['mqtt:', 'mqtts:', 'ws:', 'wss:'].includes(u.protocol) && u.hostname.length > 0
      } catch {
        return false
      }
    },
    { error: 'Use a broker URL like mqtt://host:1883, mqtts://host:8883, ws://host/mqtt or wss://host/mqtt.' },
  )

export const BrokerSettingsSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('embedded'),
    port: z.number().int().min(1).max(65535).default(DEFAULT_EMBEDDED_PORT),
    /** Listen on all interfaces so others on the LAN can join. Off unless chosen. */
    shareOnLan: z.boolean().default(false),
  }),
  z.object({
    kind: z.literal('url'),
    url: BrokerUrlSchema,
    username: z.string().max(256).optional(),
    password: z.string().max(1024).optional(),
    /** PEM text of a CA to trust, for brokers with a private CA. */
    ca: z.string().max(65536).optional(),
  }),
])
export type BrokerSettings = z.infer<typeof BrokerSettingsSchema>

/** What the first-run screen (or `parley --user`) asks for. */
export const AccountSetupSchema = z.object({
  user: NameSchema,
  broker: BrokerSettingsSchema,
})
export type AccountSetup = z.input<typeof AccountSetupSchema>

/** settings.json in the data directory. */
export const SettingsSchema = z.object({
  version: z.literal(1),
  user: NameSchema,
  broker: BrokerSettingsSchema,
  root: NameSchema.default(DEFAULT_ROOT),
  groupId: NameSchema.default(DEFAULT_GROUP_ID),
  /** Public: other people see it in envelopes and presence topics. */
  deviceId: NameSchema,
  /**
   * Private: the DeviceID part of the MQTT client id. Whoever knows a client id can
   * take over its persistent session, so this appears in no payload. Generated on
   * first start when an older settings file lacks it.
   */
  clientSecret: z
    .string()
    .regex(/^[0-9a-f]{32}$/)
    .optional(),
  /**
   * The client id an earlier Parley used (before it had a secret part): the broker
   * may still hold messages queued for that session. Taken once, then forgotten.
   */
  legacyClientId: z.string().min(1).max(200).optional(),
})
export type Settings = z.infer<typeof SettingsSchema>

export const MessageTextSchema = z
  .string()
  .max(MAX_TEXT_LENGTH, { error: `A message can be at most ${MAX_TEXT_LENGTH} characters.` })
  .refine((s) => s.trim().length > 0, { error: 'A message cannot be empty.' })

export const PageCursorSchema = z.object({ ts: z.number().int(), id: z.string().min(1).max(64) })
export type PageCursor = z.infer<typeof PageCursorSchema>
