import { v7 as uuidv7 } from 'uuid'
import {
  ENVELOPE_VERSION,
  EnvelopeSchema,
  type Envelope,
  type EnvelopeBody,
  type EnvelopeOf,
  type EnvelopeType,
} from '../../../shared/protocol/envelope'
import { nameProblem } from '../../../shared/protocol/names'
import { MAX_LARGE_PAYLOAD_BYTES, MAX_PAYLOAD_BYTES, MAX_TEXT_LENGTH } from '../../../shared/schemas'

export type Decoded<T extends EnvelopeType = EnvelopeType> =
  | { ok: true; envelope: EnvelopeOf<T>; plain: boolean }
  | { ok: false; reason: string }

/**
 * The step between an envelope's bytes and the wire. Today it passes bytes as they
 * are; end-to-end encryption replaces it (sealing for the recipient on the way out,
 * opening on the way in) without touching any feature.
 */
export interface Sealer {
  seal(bytes: Buffer, topic: string): Buffer
  /** The opened bytes, or a reason the payload cannot be opened. */
  open(payload: Uint8Array, topic: string): Uint8Array | { reason: string }
}

export const PLAINTEXT: Sealer = { seal: (b) => b, open: (p) => p }

/** Says why nothing from `sender` may be decoded (blocked), or null. */
export type SenderCheck = (sender: string) => string | null

/** Says why this decoded envelope must be dropped all the same (sent while its sender was blocked), or null. */
export type EnvelopeCheck = (e: Envelope) => string | null

const LARGE_TYPES: ReadonlySet<EnvelopeType> = new Set(['profile', 'sync', 'group-meta'])

const utf8 = new TextDecoder('utf-8', { fatal: true })

// Senders whose names already passed validation: a chat has few senders and many
// messages, so the receive path skips re-validating the same name each time.
const knownNames = new Set<string>()
function validName(name: string): string | null {
  if (knownNames.has(name)) return null
  const problem = nameProblem(name)
  if (problem) return problem
  if (knownNames.size >= 1024) knownNames.clear()
  knownNames.add(name)
  return null
}

export function newMessageId(): string {
  return uuidv7()
}

/** Builds an envelope of `type` with a fresh id and the current time. */
export function envelope<T extends EnvelopeType>(
  type: T,
  from: string,
  body: EnvelopeBody<T>,
  extra: { dev?: string; seq?: number; ts?: number; id?: string } = {},
): EnvelopeOf<T> {
  return {
    v: ENVELOPE_VERSION,
    id: extra.id ?? newMessageId(),
    type,
    from,
    ...(extra.dev ? { dev: extra.dev } : {}),
    ts: extra.ts ?? Date.now(),
    ...(extra.seq !== undefined ? { seq: extra.seq } : {}),
    body,
  } as EnvelopeOf<T>
}

export function textEnvelope(from: string, dev: string, text: string, seq: number, ts = Date.now()): EnvelopeOf<'text'> {
  return envelope('text', from, { text }, { dev, seq, ts })
}

/** The one way Parley turns an envelope into a payload. */
export class Codec {
  private readonly senderChecks: SenderCheck[] = []
  private readonly envelopeChecks: EnvelopeCheck[] = []

  constructor(private readonly sealer: Sealer = PLAINTEXT) {}

  /**
   * Refuses everything from the senders `check` names (blocking): every envelope of
   * every feature is decoded here, so one check covers messages, requests,
   * presence, typing, profiles and moments alike.
   */
  refuseSenders(check: SenderCheck): void {
    this.senderChecks.push(check)
  }

  /**
   * Refuses decoded envelopes `check` names, by what they say (their time, their
   * type): a message sent while its sender was blocked and offered again after the
   * unblock stays out.
   */
  refuseEnvelopes(check: EnvelopeCheck): void {
    this.envelopeChecks.push(check)
  }

  /** Why `sender` is refused, or null. */
  refusal(sender: string): string | null {
    for (const check of this.senderChecks) {
      const why = check(sender)
      if (why) return why
    }
    return null
  }

  encode(e: Envelope, topic: string): Buffer {
    return this.sealer.seal(Buffer.from(JSON.stringify(e)), topic)
  }

  /**
   * Decodes a payload that must be an envelope of `type` from `from` (the topic's
   * sender level, which a broker ACL can enforce: the body must agree with it).
   * With `plainText`, a payload that is not JSON becomes a text message from
   * `from`, so plain MQTT clients (mosquitto_pub, paho) can talk to Parley; a
   * payload that starts with `{` must still be a valid envelope. Never throws.
   */
  decode<T extends EnvelopeType>(topic: string, payload: Uint8Array, type: T, from: string, plainText = false): Decoded<T> {
    const fromProblem = validName(from)
    if (fromProblem) return { ok: false, reason: `bad sender name in topic: ${fromProblem}` }
    const refused = this.senderChecks.length ? this.refusal(from) : null
    if (refused) return { ok: false, reason: refused }
    const limit = LARGE_TYPES.has(type) ? MAX_LARGE_PAYLOAD_BYTES : MAX_PAYLOAD_BYTES
    if (payload.byteLength > limit) return { ok: false, reason: `payload of ${payload.byteLength} bytes is over ${limit}` }
    const opened = this.sealer.open(payload, topic)
    if (!(opened instanceof Uint8Array)) return { ok: false, reason: opened.reason }
    let text: string
    try {
      text = utf8.decode(opened)
    } catch {
      return { ok: false, reason: 'payload is not UTF-8 text' }
    }
    const trimmed = text.trim()
    if (trimmed.startsWith('{')) {
      let json: unknown
      try {
        json = JSON.parse(trimmed)
      } catch {
        return { ok: false, reason: 'payload is malformed JSON' }
      }
      const env = EnvelopeSchema.safeParse(json)
      if (!env.success) {
        const issue = env.error.issues[0]
        return { ok: false, reason: `invalid envelope: ${issue?.path.join('.') || 'payload'}: ${issue?.message ?? 'invalid'}` }
      }
      if (env.data.type !== type) return { ok: false, reason: `a ${env.data.type} envelope on a ${type} topic` }
      if (env.data.from !== from) return { ok: false, reason: `envelope sender ${env.data.from} does not match topic sender ${from}` }
      for (const check of this.envelopeChecks) {
        const why = check(env.data)
        if (why) return { ok: false, reason: why }
      }
      return { ok: true, envelope: env.data as EnvelopeOf<T>, plain: false }
    }
    if (!plainText || type !== 'text') return { ok: false, reason: 'payload is not a Parley envelope' }
    if (trimmed.length === 0) return { ok: false, reason: 'empty message' }
    if (text.length > MAX_TEXT_LENGTH) return { ok: false, reason: `text is over ${MAX_TEXT_LENGTH} characters` }
    return { ok: true, plain: true, envelope: envelope('text', from, { text }) as EnvelopeOf<T> }
  }
}

/** Encodes without a sealer: for tests, benchmarks and plain tools. */
export function encodeEnvelope(e: Envelope): Buffer {
  return Buffer.from(JSON.stringify(e))
}
