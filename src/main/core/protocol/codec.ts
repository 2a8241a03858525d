import { v7 as uuidv7 } from 'uuid'
import { ENVELOPE_VERSION, EnvelopeSchema, type Envelope } from '../../../shared/envelope'
import { nameProblem } from '../../../shared/names'
import { MAX_PAYLOAD_BYTES, MAX_TEXT_LENGTH } from '../../../shared/schemas'
import { parseTopic } from '../../../shared/topics'

export type Decoded = { ok: true; envelope: Envelope; plain: boolean } | { ok: false; reason: string }

const utf8 = new TextDecoder('utf-8', { fatal: true })

// Senders whose names already passed validation: a chat has few senders and many
// messages, so the receive path skips re-validating the same name each time.
const knownSenders = new Set<string>()
function rememberSender(name: string): void {
  if (knownSenders.size >= 1024) knownSenders.clear()
  knownSenders.add(name)
}

export function newMessageId(): string {
  return uuidv7()
}

export function encodeEnvelope(e: Envelope): Buffer {
  return Buffer.from(JSON.stringify(e))
}

export function textEnvelope(from: string, dev: string, text: string, seq: number, ts = Date.now()): Envelope {
  return { v: ENVELOPE_VERSION, id: newMessageId(), type: 'text', from, dev, ts, seq, body: { text } }
}

/**
 * Decodes a payload that arrived on a direct-message topic. Parley's own clients
 * send a JSON envelope; plain MQTT clients (mosquitto_pub, paho) may send plain
 * UTF-8 text, which becomes a message from the topic's sender. A payload that
 * starts with `{` must be a valid envelope, so a broken one is dropped rather
 * than shown as gibberish. Never throws.
 */
export function decodeDirect(root: string, me: string, topic: string, payload: Uint8Array, now = Date.now()): Decoded {
  const t = parseTopic(root, topic)
  if (!t) return { ok: false, reason: 'not a direct-message topic' }
  if (t.to !== me) return { ok: false, reason: `addressed to ${t.to}, not ${me}` }
  if (!knownSenders.has(t.from)) {
    const fromProblem = nameProblem(t.from)
    if (fromProblem) return { ok: false, reason: `bad sender name in topic: ${fromProblem}` }
    rememberSender(t.from)
  }
  if (payload.byteLength > MAX_PAYLOAD_BYTES) return { ok: false, reason: `payload of ${payload.byteLength} bytes is over ${MAX_PAYLOAD_BYTES}` }
  let text: string
  try {
    text = utf8.decode(payload)
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
    // The topic's last level is what a broker ACL can enforce; the body must agree with it.
    if (env.data.from !== t.from) return { ok: false, reason: `envelope sender ${env.data.from} does not match topic sender ${t.from}` }
    return { ok: true, envelope: env.data, plain: false }
  }
  if (trimmed.length === 0) return { ok: false, reason: 'empty message' }
  if (text.length > MAX_TEXT_LENGTH) return { ok: false, reason: `text is over ${MAX_TEXT_LENGTH} characters` }
  return {
    ok: true,
    plain: true,
    envelope: { v: ENVELOPE_VERSION, id: newMessageId(), type: 'text', from: t.from, ts: now, body: { text } },
  }
}
