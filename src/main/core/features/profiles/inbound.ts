import type { EnvelopeOf } from '../../../../shared/protocol/envelope'
import { MAX_LARGE_PAYLOAD_BYTES } from '../../../../shared/schemas'
import type { Codec } from '../../protocol/codec'
import { avatarProblem } from './avatar'
import type { ProfileFields } from './store'

/** A profile more than this far in the owner's future is refused: it would outrank every real update until then. */
export const MAX_CLOCK_AHEAD_MS = 24 * 3600_000

export type ReceivedProfile =
  | { ok: true; fields: ProfileFields; id: string; ts: number; dev: string | undefined; avatarDropped: string | null }
  | { ok: false; reason: string }

const utf8 = new TextDecoder('utf-8', { fatal: true })

/**
 * The same payload without `body.avatar`, when it is a JSON envelope that has one:
 * a bad picture should not cost the name and status that came with it.
 */
function withoutAvatar(payload: Uint8Array): Buffer | null {
  try {
    const json: unknown = JSON.parse(utf8.decode(payload))
    if (typeof json !== 'object' || json === null) return null
    const body = (json as { body?: unknown }).body
    if (typeof body !== 'object' || body === null || !('avatar' in body)) return null
    delete (body as { avatar?: unknown }).avatar
    return Buffer.from(JSON.stringify(json))
  } catch {
    return null
  }
}

/**
 * Decodes a profile from `R/{user}/Profile` through the codec (so blocked senders,
 * size limits and the envelope schema apply as everywhere), then checks that the
 * avatar's bytes really are the PNG, JPEG or WebP its data URL says. An avatar that
 * fails either check is dropped with its reason and the rest is kept.
 */
export function decodeProfile(codec: Codec, topic: string, payload: Uint8Array, user: string, now = Date.now()): ReceivedProfile {
  if (payload.byteLength > MAX_LARGE_PAYLOAD_BYTES) return { ok: false, reason: `payload of ${payload.byteLength} bytes is over ${MAX_LARGE_PAYLOAD_BYTES}` }
  let avatarDropped: string | null = null
  let decoded = codec.decode(topic, payload, 'profile', user)
  if (!decoded.ok && decoded.reason.startsWith('invalid envelope: body.avatar')) {
    const stripped = withoutAvatar(payload)
    const again = stripped ? codec.decode(topic, stripped, 'profile', user) : null
    if (again?.ok) {
      avatarDropped = decoded.reason.replace(/^invalid envelope: body\.avatar: /, '')
      decoded = again
    }
  }
  if (!decoded.ok) return { ok: false, reason: decoded.reason }
  const e: EnvelopeOf<'profile'> = decoded.envelope
  if (e.ts > now + MAX_CLOCK_AHEAD_MS) return { ok: false, reason: `its time is more than a day ahead (${new Date(e.ts).toISOString()})` }
  let avatar = e.body.avatar ?? null
  if (avatar !== null) {
    const problem = avatarProblem(avatar)
    if (problem) {
      avatarDropped = problem
      avatar = null
    }
  }
  return {
    ok: true,
    id: e.id,
    ts: e.ts,
    dev: e.dev,
    avatarDropped,
    fields: { name: e.body.name ?? null, status: e.body.status ?? null, avatar, email: e.body.email ?? null },
  }
}
