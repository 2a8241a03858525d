/** Received profiles: what is kept, what is dropped and why (the codec's checks plus the avatar's bytes). */
import { describe, expect, it } from 'vitest'
import { decodeProfile, MAX_CLOCK_AHEAD_MS } from '../../../../../src/main/core/features/profiles/inbound'
import { Codec, envelope } from '../../../../../src/main/core/protocol/codec'

const TOPIC = 'IMS/bob/Profile'
// The smallest real JPEG and PNG signatures are enough: nothing decodes them on receive.
const JPEG = `data:image/jpeg;base64,${Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 16, 74, 70, 73, 70]).toString('base64')}`
const PNG_AS_JPEG = `data:image/jpeg;base64,${Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0]).toString('base64')}`

const payload = (body: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
  Buffer.from(JSON.stringify({ ...envelope('profile', 'bob', body as never, { dev: 'd1' }), ...extra }))

describe('decodeProfile', () => {
  const codec = new Codec()

  it('keeps every field of a valid profile', () => {
    const got = decodeProfile(codec, TOPIC, payload({ name: 'Bob Builder', status: 'On site', avatar: JPEG, email: 'bob@example.com' }), 'bob')
    expect(got).toMatchObject({ ok: true, avatarDropped: null, fields: { name: 'Bob Builder', status: 'On site', avatar: JPEG, email: 'bob@example.com' } })
  })

  it('drops only the avatar when it is not a valid data URL or its bytes are not what it says', () => {
    const notDataUrl = decodeProfile(codec, TOPIC, payload({ name: 'Bob', avatar: 'javascript:alert(1)' }), 'bob')
    expect(notDataUrl).toMatchObject({ ok: true, fields: { name: 'Bob', avatar: null } })
    expect(notDataUrl.ok && notDataUrl.avatarDropped).toMatch(/PNG, JPEG or WebP data URL/)
    const wrongBytes = decodeProfile(codec, TOPIC, payload({ name: 'Bob', avatar: PNG_AS_JPEG }), 'bob')
    expect(wrongBytes).toMatchObject({ ok: true, fields: { name: 'Bob', avatar: null } })
    expect(wrongBytes.ok && wrongBytes.avatarDropped).toMatch(/says image\/jpeg but holds PNG/)
    const tooBig = decodeProfile(codec, TOPIC, payload({ status: 'big picture', avatar: `data:image/jpeg;base64,/9j/${'A'.repeat(100_000)}` }), 'bob')
    expect(tooBig).toMatchObject({ ok: true, fields: { status: 'big picture', avatar: null } })
  })

  it('drops the whole profile for bad JSON, wrong types, hostile names, a forged sender, a far-future time or an oversize payload', () => {
    const reason = (bytes: Uint8Array, user = 'bob') => {
      const got = decodeProfile(codec, TOPIC, bytes, user)
      expect(got.ok).toBe(false)
      return got.ok ? '' : got.reason
    }
    expect(reason(Buffer.from('{"v":1,'))).toMatch(/malformed JSON/)
    expect(reason(payload({ name: 42 }))).toMatch(/body\.name/)
    expect(reason(payload({ name: 'Bob\u202Eevil' }))).toMatch(/invisible/)
    expect(reason(payload({ name: 'Bob' }, { from: 'mallory' }))).toMatch(/does not match/)
    expect(reason(payload({ name: 'Bob' }, { ts: Date.now() + MAX_CLOCK_AHEAD_MS + 60_000 }))).toMatch(/more than a day ahead/)
    expect(reason(Buffer.alloc(10 * 1024 * 1024, 0x7b))).toMatch(/over 131072/)
    expect(reason(payload({ name: 'Bob' }), 'bad/name')).toMatch(/bad sender name/)
  })
})
