import { z } from 'zod'
import { MAX_TEXT_LENGTH } from '../schemas'
import { GroupIdSchema } from './group-id'
import { DisplayNameSchema, NameSchema, RequestNoteSchema, StatusLineSchema, shownTextSchema } from './names'

export const ENVELOPE_VERSION = 1

/** Ids are UUIDv7: they sort by creation time, and a re-delivered message is recognised. */
export const MessageIdSchema = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, {
  error: 'id must be a UUID',
})

/** Largest avatar image (bytes, before base64): resized to at most AVATAR_PIXELS a side by the engine. */
export const MAX_AVATAR_BYTES = 64 * 1024
export const AVATAR_PIXELS = 256
/** An avatar as it travels: a base64 data URL of a PNG, JPEG or WebP image. */
export const AvatarSchema = z
  .string()
  .max(Math.ceil(MAX_AVATAR_BYTES / 3) * 4 + 32, { error: `An avatar can be at most ${MAX_AVATAR_BYTES / 1024} KiB.` })
  .regex(/^data:image\/(?:png|jpeg|webp);base64,[A-Za-z0-9+/]+={0,2}$/, { error: 'An avatar must be a PNG, JPEG or WebP data URL.' })

/** Hex SHA-256 ids: a salted hash of an E.164 phone number (docs/protocol.md). */
export const PhoneIdSchema = z.string().regex(/^[0-9a-f]{64}$/, { error: 'A phone id is 64 hex digits.' })

/** Most people (members and invitees) in one group's metadata. */
export const MAX_GROUP_PEOPLE = 256

/** A person in a group's metadata. */
export const GroupPersonSchema = z.object({ user: NameSchema, state: z.enum(['invited', 'member']), admin: z.boolean() })

/** Most message ids one receipt carries (a burst is acknowledged in slices). */
export const MAX_RECEIPT_IDS = 1000

const base = {
  v: z.literal(ENVELOPE_VERSION),
  id: MessageIdSchema,
  from: NameSchema,
  /** The sender's public device id (never the MQTT client id). */
  dev: z.string().min(1).max(128).optional(),
  /** ms since epoch; at most the last moment a Date can hold, so every time shown or exported is a real date. */
  ts: z.number().int().nonnegative().max(8.64e15),
  seq: z.number().int().nonnegative().optional(),
}

/**
 * The JSON payload of Parley's own topics (docs/protocol.md): one shape of header
 * and a body per `type`. Features add their type here; the codec decodes them all
 * through one path.
 */
export const EnvelopeSchema = z.discriminatedUnion('type', [
  z.object({
    ...base,
    type: z.literal('text'),
    body: z.object({
      text: z.string().min(1).max(MAX_TEXT_LENGTH),
      /** In a group: the user names the text @mentions (a receiver also finds `@name` in the text). */
      mentions: z.array(NameSchema).max(MAX_GROUP_PEOPLE).optional(),
    }),
  }),
  z.object({
    ...base,
    type: z.literal('receipt'),
    body: z.object({ kind: z.enum(['delivered', 'read']), ids: z.array(MessageIdSchema).min(1).max(MAX_RECEIPT_IDS) }),
  }),
  z.object({ ...base, type: z.literal('typing'), body: z.object({ conversation: z.string().max(300).optional() }) }),
  /** seed 000 scenario 1, on `R/{to}/Inbox/Add/GFReq/{from}`: ask (with an optional note) or withdraw. */
  z.object({
    ...base,
    type: z.literal('friend-request'),
    body: z.object({
      action: z.enum(['request', 'cancel']),
      note: RequestNoteSchema.optional(),
      /** ms since epoch after which the request lapses (also the MQTT 5 Message Expiry where there is one). */
      expires: z.number().int().nonnegative().optional(),
    }),
  }),
  /** The answer, on `R/{to}/Inbox/Add/GFResp/{from}`. */
  z.object({ ...base, type: z.literal('friend-response'), body: z.object({ answer: z.enum(['accept', 'decline']) }) }),
  /** seed 000's Unsub on `R/{to}/Inbox/Update/{from}/Unsub`: stop following my moments; `notify` asks to tell the person. */
  z.object({ ...base, type: z.literal('unsub'), body: z.object({ notify: z.boolean() }) }),
  /** Retained on `R/{user}/Profile` (seed 001); absent fields are unset. */
  z.object({
    ...base,
    type: z.literal('profile'),
    body: z.object({
      name: DisplayNameSchema.optional(),
      status: StatusLineSchema.optional(),
      avatar: AvatarSchema.optional(),
      email: z.email({ error: 'not an email address' }).max(254).optional(),
    }),
  }),
  /** A post to followers on `R/{user}` (seed 000 scenario 2). */
  z.object({ ...base, type: z.literal('moment'), body: z.object({ text: z.string().min(1).max(MAX_TEXT_LENGTH) }) }),
  /** Retained on `R/$Phone/{id}`: this phone id belongs to `from`. */
  z.object({ ...base, type: z.literal('phone'), body: z.object({ id: PhoneIdSchema }) }),
  /** To my other devices on `R/{me}/Sync/{device}`: AES-256-GCM sealed with the account's device key, base64. */
  z.object({
    ...base,
    type: z.literal('sync'),
    body: z.object({ iv: z.string().max(64), data: z.string().max(120_000), tag: z.string().max(64) }),
  }),
  /**
   * Retained on `R/{group}` by an admin: the whole state of the group. Members keep
   * the highest version whose publisher was an admin of the version before it.
   */
  z.object({
    ...base,
    type: z.literal('group-meta'),
    body: z
      .object({
        name: shownTextSchema('A group name', 64),
        avatar: AvatarSchema.optional(),
        members: z.array(GroupPersonSchema).min(1).max(MAX_GROUP_PEOPLE),
        version: z.number().int().min(1),
      })
      .refine((b) => new Set(b.members.map((m) => m.user)).size === b.members.length, { error: 'a person is listed twice' })
      .refine((b) => b.members.some((m) => m.admin && m.state === 'member'), { error: 'a group needs an admin' })
      .refine((b) => b.members.every((m) => !m.admin || m.state === 'member'), { error: 'an invitee cannot be an admin' }),
  }),
  /** On `R/{to}/Inbox/Group/{from}`: an admin invites `to`, or a member answers an admin (accept, decline, leave). */
  z.object({
    ...base,
    type: z.literal('group-membership'),
    body: z.object({
      group: GroupIdSchema,
      action: z.enum(['invite', 'accept', 'decline', 'leave']),
      /** With an invite: the group's name, shown until its metadata confirms it. */
      name: shownTextSchema('A group name', 64).optional(),
    }),
  }),
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
