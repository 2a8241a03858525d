/**
 * Open rooms (seed 004): any MQTT topic or topic filter, shared with plain MQTT
 * clients. Payloads are plain UTF-8 text; the paho chat of seed 004 writes
 * `username (client_id): message`, and Parley posts in that same format so such a
 * client reads who wrote. What a room may be, how a post reads and how a room is
 * shared (a `parley://room` link or a short code) live here, for the engine, the
 * renderer and the CLI alike.
 */
import { z } from 'zod'

/** The broker refuses longer topics long before this; a conversation id must stay within 300 characters. */
export const MAX_ROOM_FILTER_LENGTH = 256
/** A payload of this size or more is dropped with a logged reason (issue 9: "1 MB+ payloads"). */
export const MAX_ROOM_PAYLOAD_BYTES = 1024 * 1024
/** A sender name taken from a payload is cut to this many characters. */
export const MAX_ROOM_SENDER_LENGTH = 64
/** Where "Create a random room" puts its rooms. */
export const RANDOM_ROOM_PREFIX = 'parley/rooms/'

export const RoomQosSchema = z.union([z.literal(0), z.literal(1), z.literal(2)])
export type RoomQos = z.infer<typeof RoomQosSchema>

/**
 * Why `filter` cannot be a room, or null when it can. `root` is Parley's own topic
 * root: a room must not overlap it, or inbox traffic would show as room messages.
 * `concrete`: a topic to publish on, so no wildcards.
 */
export function roomFilterProblem(filter: string, root: string, concrete = false): string | null {
  if (filter.length === 0) return 'Enter a topic or a topic filter.'
  if (filter.length > MAX_ROOM_FILTER_LENGTH) return `A room topic can be at most ${MAX_ROOM_FILTER_LENGTH} characters.`
  if (/\s/u.test(filter)) return 'A room topic cannot contain spaces or line breaks.'
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/u.test(filter)) return 'A room topic cannot contain control characters.'
  if (filter.startsWith('$')) return 'Topics starting with $ ($SYS/…) belong to the broker; they cannot be rooms.'
  const levels = filter.split('/')
  if (concrete && (filter.includes('+') || filter.includes('#')))
    return `"${filter}" is a topic filter; messages are sent to a concrete topic without + or #.`
  for (let i = 0; i < levels.length; i++) {
    const level = levels[i]!
    if (level.includes('#') && (level !== '#' || i !== levels.length - 1)) return '# may only stand alone as the last level (sensors/#).'
    if (level.includes('+') && level !== '+') return '+ may only stand alone as a level (sensors/+/temperature).'
  }
  const first = levels[0]!
  if (first === root || first === '+' || first === '#')
    return `"${filter}" would include Parley's own topics under ${root}/; choose a topic that does not start with ${root}/ or a wildcard.`
  return null
}

export function isWildcard(filter: string): boolean {
  return filter.includes('+') || filter.includes('#')
}

/** A room filter as it crosses a trust boundary (the root check needs the account: the engine does it). */
export const RoomFilterSchema = z
  .string()
  .max(MAX_ROOM_FILTER_LENGTH + 1)
  .superRefine((f, ctx) => {
    const problem = roomFilterProblem(f, '\u0000')
    if (problem) ctx.addIssue({ code: 'custom', message: problem })
  })

/** A post as seed 004's paho chat writes it: `username (client_id): message`. */
const SEED_FORMAT = /^([^()\r\n]{1,200}?) \(([^()\r\n]{0,200})\): ([\s\S]*)$/u

export interface RoomPost {
  /** Who wrote it: the username of the seed format, else the topic's last level, else "unknown". */
  sender: string
  /** The client id the seed format names, if it did. */
  clientId: string | null
  text: string
}

/** Reads a room payload's text (already UTF-8 decoded). */
export function parseRoomPost(topic: string, payload: string): RoomPost {
  const m = SEED_FORMAT.exec(payload)
  if (m && m[1]!.trim()) return { sender: cleanSender(m[1]!), clientId: m[2]!, text: m[3]! }
  const last = topic.split('/').pop() ?? ''
  return { sender: last.trim() ? cleanSender(last) : 'unknown', clientId: null, text: payload }
}

/** What Parley publishes in a room: seed 004's format with the public device id (never the MQTT client id). */
export function formatRoomPost(user: string, deviceId: string, text: string): string {
  return `${user} (${deviceId}): ${text}`
}

function cleanSender(s: string): string {
  // eslint-disable-next-line no-control-regex
  const clean = s.replace(/[\u0000-\u001f\u007f\u200e\u200f\u202a-\u202e\u2066-\u2069]/gu, '').trim()
  return [...clean].slice(0, MAX_ROOM_SENDER_LENGTH).join('') || 'unknown'
}

/* Sharing: a parley://room link or a short code ----------------------------------------- */

/** Crockford's base32: no I, L, O, U, so a code read aloud is not misheard. */
const CODE_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ'
const CODE = /^([0-9A-HJKMNP-TV-Z]{4})-([0-9A-HJKMNP-TV-Z]{4})-([0-9A-HJKMNP-TV-Z]{4})$/iu

/** A fresh random room topic (60 random bits) under parley/rooms/. */
export function randomRoomTopic(random: (n: number) => Uint8Array): string {
  const bytes = random(12)
  let s = ''
  for (const b of bytes) s += CODE_ALPHABET[b & 31]
  return RANDOM_ROOM_PREFIX + s.toLowerCase()
}

/** The short code of a random room (parley/rooms/abcd… → ABCD-EFGH-JKMN), or null for other topics. */
export function roomCode(topic: string): string | null {
  if (!topic.startsWith(RANDOM_ROOM_PREFIX)) return null
  const rest = topic.slice(RANDOM_ROOM_PREFIX.length).toUpperCase()
  if (!/^[0-9A-HJKMNP-TV-Z]{12}$/u.test(rest)) return null
  return `${rest.slice(0, 4)}-${rest.slice(4, 8)}-${rest.slice(8)}`
}

export function roomLink(filter: string, qos: RoomQos): string {
  return `parley://room?topic=${encodeURIComponent(filter)}&qos=${qos}`
}

/**
 * What a person typed or pasted to join a room: a parley://room link, a short code
 * or a topic (filter) as is. The QoS of a link wins over `qos` only when it has one.
 */
export function readRoomInput(input: string, qos: RoomQos): { filter: string; qos: RoomQos } {
  const text = input.trim()
  if (text.toLowerCase().startsWith('parley://room')) {
    let url: URL
    try {
      url = new URL(text)
    } catch {
      return { filter: '', qos }
    }
    const topic = url.searchParams.get('topic') ?? ''
    const q = RoomQosSchema.safeParse(Number(url.searchParams.get('qos') ?? qos))
    return { filter: topic, qos: q.success ? q.data : qos }
  }
  const code = CODE.exec(text)
  if (code) return { filter: RANDOM_ROOM_PREFIX + (code[1]! + code[2]! + code[3]!).toLowerCase(), qos }
  return { filter: text, qos }
}
