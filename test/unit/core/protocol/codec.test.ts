import { randomBytes } from 'node:crypto'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { ENVELOPE_VERSION, EnvelopeSchema, type Envelope, type EnvelopeBody, type EnvelopeOf, type EnvelopeType } from '../../../../src/shared/protocol/envelope'
import { MAX_PAYLOAD_BYTES, MAX_TEXT_LENGTH } from '../../../../src/shared/schemas'
import { Codec, envelope as buildEnvelope, encodeEnvelope, newMessageId, textEnvelope, type Decoded } from '../../../../src/main/core/protocol/codec'

const codec = new Codec()
/** Decodes as the messages feature does: a text envelope from the topic's sender level, plain text allowed. */
const decode = (payload: Uint8Array | string, from = 'alice'): Decoded<'text'> =>
  codec.decode(`IMS/bob/Inbox/Msg/${from}`, typeof payload === 'string' ? Buffer.from(payload) : payload, 'text', from, true)

function envelope(over: Partial<Record<keyof Envelope, unknown>> = {}): Record<string, unknown> {
  return { ...textEnvelope('alice', 'dev-a', 'Hello Bob', 7, 1_700_000_000_123), ...over }
}

function expectDropped(d: Decoded, reason: RegExp): void {
  expect(d).toMatchObject({ ok: false, reason: expect.stringMatching(reason) })
}

afterEach(() => {
  vi.useRealTimers()
})

describe('envelope codec', () => {
  it('an encoded envelope decodes back to the same envelope', () => {
    const e = textEnvelope('alice', 'dev-a', 'Hello Bob ✓ 李雷', 7)
    const d = decode(encodeEnvelope(e))
    expect(d).toEqual({ ok: true, plain: false, envelope: e })
  })

  it('textEnvelope builds a valid v1 envelope with a UUIDv7 id', () => {
    const e = textEnvelope('alice', 'dev-a', 'hi', 1)
    expect(EnvelopeSchema.parse(e)).toEqual(e)
    expect(e.v).toBe(ENVELOPE_VERSION)
    expect(e.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
  })

  it('message ids sort by creation time', () => {
    const ids = Array.from({ length: 50 }, () => newMessageId())
    expect([...ids].sort()).toEqual(ids)
    expect(new Set(ids).size).toBe(50)
  })

  it('plain UTF-8 text becomes a message from the topic sender', () => {
    vi.useFakeTimers({ toFake: ['Date'] })
    vi.setSystemTime(1_700_000_000_000)
    const d = decode('hi from the shell ✓')
    expect(d.ok).toBe(true)
    if (!d.ok) return
    expect(d.plain).toBe(true)
    expect(d.envelope.from).toBe('alice')
    expect(d.envelope.body.text).toBe('hi from the shell ✓')
    expect(d.envelope.ts).toBe(1_700_000_000_000)
    expect(EnvelopeSchema.safeParse(d.envelope).success).toBe(true)
  })

  it('plain text that merely contains braces is still text', () => {
    const d = decode('use {curly} braces')
    expect(d.ok && d.envelope.body.text).toBe('use {curly} braces')
  })

  it('drops a malformed JSON object', () => {
    expectDropped(decode('{"v":1,'), /malformed JSON/) // truncated: still starts like an envelope
    expectDropped(decode('{"v":1,}'), /malformed JSON/)
    expectDropped(decode('{"v":1, "id": }'), /malformed JSON/)
    expectDropped(decode('  {not json}  '), /malformed JSON/)
  })

  it('drops a JSON object that is not an envelope', () => {
    expectDropped(decode('{}'), /invalid envelope/)
    expectDropped(decode('{"text":"hi"}'), /invalid envelope/)
  })

  it('drops a wrong version', () => {
    expectDropped(decode(JSON.stringify(envelope({ v: 2 }))), /invalid envelope: v/)
    expectDropped(decode(JSON.stringify(envelope({ v: '1' }))), /invalid envelope: v/)
  })

  it('drops a missing or empty body', () => {
    const { body: _body, ...noBody } = envelope()
    expectDropped(decode(JSON.stringify(noBody)), /invalid envelope: body/)
    expectDropped(decode(JSON.stringify(envelope({ body: { text: '' } }))), /invalid envelope: body\.text/)
    expectDropped(decode(JSON.stringify(envelope({ body: { text: 'x'.repeat(MAX_TEXT_LENGTH + 1) } }))), /invalid envelope: body\.text/)
  })

  it('drops bad ids, types and timestamps', () => {
    expectDropped(decode(JSON.stringify(envelope({ id: 'not-a-uuid' }))), /invalid envelope: id/)
    expectDropped(decode(JSON.stringify(envelope({ type: 'image' }))), /invalid envelope: type/)
    expectDropped(decode(JSON.stringify(envelope({ ts: -1 }))), /invalid envelope: ts/)
    expectDropped(decode(JSON.stringify(envelope({ ts: 'now' }))), /invalid envelope: ts/)
  })

  it('drops an envelope whose sender differs from the topic sender', () => {
    expectDropped(decode(JSON.stringify(envelope({ from: 'mallory' }))), /envelope sender mallory does not match topic sender alice/)
  })

  it('drops bytes that are not UTF-8', () => {
    expectDropped(decode(Buffer.from([0x68, 0x69, 0xff, 0xfe, 0xc3])), /not UTF-8/)
    expectDropped(decode(Buffer.from([0xc3, 0x28])), /not UTF-8/)
  })

  it('drops a payload over MAX_PAYLOAD_BYTES, even one that is otherwise plain text', () => {
    expectDropped(decode(Buffer.alloc(MAX_PAYLOAD_BYTES + 1, 'a')), /over 65536/)
    expect(decode(Buffer.alloc(MAX_PAYLOAD_BYTES, 'a')).ok).toBe(false) // 65536 chars > MAX_TEXT_LENGTH
    expect(decode(Buffer.alloc(MAX_TEXT_LENGTH, 'a')).ok).toBe(true)
  })

  it('drops plain text over MAX_TEXT_LENGTH and empty text', () => {
    expectDropped(decode('x'.repeat(MAX_TEXT_LENGTH + 1)), /over 16000 characters/)
    expectDropped(decode(''), /empty/)
    expectDropped(decode('  \n\t '), /empty/)
  })

  it.each(['$SYS', 'a\u0000b', 'a\u0007b', 'x'.repeat(65)])('drops a hostile sender name %j in the topic', (from) => {
    expectDropped(decode('hello', from), /bad sender name in topic/)
  })

  // A topic level is taken as is: " carol" is not "carol". A name with white space
  // at either end would be stored as a peer whose conversation id ("dm: carol") the
  // ConversationIdSchema refuses, so the person could never open, read or answer it.
  it.each([' carol', 'carol\t'])('drops a sender name with white space at an end %j in the topic', (from) => {
    expectDropped(decode('hello', from), /bad sender name in topic/)
  })

  it('never throws on 500 random byte buffers (and random-ish JSON)', () => {
    for (let i = 0; i < 500; i++) {
      const size = i % 50 === 0 ? 70_000 : Math.floor(Math.random() * 300)
      const buf = randomBytes(size)
      if (i % 5 === 0) buf[0] = 0x7b // '{'
      if (i % 5 === 0 && size > 1) buf[size - 1] = 0x7d // '}'
      let d!: Decoded
      expect(() => (d = decode(buf))).not.toThrow()
      expect(typeof d.ok).toBe('boolean')
      if (!d.ok) expect(d.reason.length).toBeGreaterThan(0)
    }
    const nasty = ['{"__proto__":{"polluted":1}}', '{"v":1,"body":null}', '{"constructor":{"prototype":{}}}', '[]', 'null', '{"v":1e999}']
    for (const n of nasty) expect(() => decode(n)).not.toThrow()
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
  })
})

describe('envelopes of every type through one codec', () => {
  const topic = 'IMS/bob/Inbox/Rcpt/alice'
  const ids = [newMessageId(), newMessageId()]

  it.each([
    ['receipt', envelopeOf('receipt', { kind: 'read', ids })],
    ['typing', envelopeOf('typing', { conversation: 'dm:bob' })],
    ['typing without a conversation', envelopeOf('typing', {})],
    ['presence', envelopeOf('presence', { state: 'away', lastSeen: 1_700_000_000_000 })],
    ['friend request', envelopeOf('friend-request', { action: 'request', note: 'Hi, Bob here 👋', expires: 1_800_000_000_000 })],
    ['friend request withdrawal', envelopeOf('friend-request', { action: 'cancel' })],
    ['friend response', envelopeOf('friend-response', { answer: 'accept' })],
    ['unfollow notice', envelopeOf('unsub', { notify: true })],
    ['profile', envelopeOf('profile', { name: 'Alice Smith', status: 'Here', email: 'alice@example.com', avatar: 'data:image/png;base64,iVBORw0KGgo=' })],
    ['empty profile', envelopeOf('profile', {})],
    ['moment', envelopeOf('moment', { text: 'Back from the mountains 🏔️' })],
    ['phone record', envelopeOf('phone', { id: 'ab'.repeat(32) })],
    ['sync item', envelopeOf('sync', { iv: 'aXY=', data: 'ZGF0YQ==', tag: 'dGFn' })],
  ] as const)('a %s envelope round-trips', (_what, e) => {
    const d = codec.decode(topic, codec.encode(e, topic), e.type, 'alice')
    expect(d).toEqual({ ok: true, plain: false, envelope: e })
    expect(EnvelopeSchema.parse(e)).toEqual(e)
  })

  it.each([
    ['a friend request with an unknown action', 'friend-request', { action: 'spam' }],
    ['a friend request note with a direction override', 'friend-request', { action: 'request', note: 'hi\u202E' }],
    ['an answer that is neither accept nor decline', 'friend-response', { answer: 'maybe' }],
    ['a profile name with a zero-width space', 'profile', { name: 'Ali\u200Bce' }],
    ['an avatar that is not an image data URL', 'profile', { avatar: 'data:text/html;base64,PHNjcmlwdD4=' }],
    ['an avatar with a script URL', 'profile', { avatar: 'javascript:alert(1)' }],
    ['an email that is not one', 'profile', { email: 'not an email' }],
    ['an empty moment', 'moment', { text: '' }],
    ['a phone id that is not a SHA-256', 'phone', { id: '+48555555555' }],
    ['an unsub without notify', 'unsub', {}],
  ] as const)('refuses %s', (_what, type, body) => {
    const e = { ...envelopeOf('typing', {}), type, body }
    const d = codec.decode(topic, Buffer.from(JSON.stringify(e)), type, 'alice')
    expectDropped(d, /invalid envelope/)
  })

  it('allows profiles and sync items up to the large limit, and no further', async () => {
    const { MAX_LARGE_PAYLOAD_BYTES } = await import('../../../../src/shared/schemas')
    const padded = (n: number) => Buffer.from(JSON.stringify({ ...envelopeOf('sync', { iv: 'a', data: 'A'.repeat(n), tag: 'b' }) }))
    const fits = padded(100_000)
    expect(fits.byteLength).toBeGreaterThan(MAX_PAYLOAD_BYTES)
    expect(codec.decode(topic, fits, 'sync', 'alice').ok).toBe(true)
    expect(codec.decode(topic, fits, 'moment', 'alice')).toMatchObject({ ok: false, reason: expect.stringMatching(/over 65536/) })
    const huge = Buffer.alloc(MAX_LARGE_PAYLOAD_BYTES + 1, 0x20)
    expectDropped(codec.decode(topic, huge, 'profile', 'alice'), new RegExp(`over ${MAX_LARGE_PAYLOAD_BYTES}`))
  })

  it('refuses everything from a sender a check names, whatever the type, and nothing from others', () => {
    const c = new Codec()
    const blocked = new Set(['carol'])
    c.refuseSenders((from) => (blocked.has(from) ? 'the sender is blocked' : null))
    const fromCarol = { ...envelopeOf('typing', {}), from: 'carol' }
    expectDropped(c.decode(topic, Buffer.from(JSON.stringify(fromCarol)), 'typing', 'carol'), /the sender is blocked/)
    expectDropped(c.decode(topic, Buffer.from('plain hello'), 'text', 'carol', true), /the sender is blocked/)
    expect(c.decode(topic, c.encode(envelopeOf('typing', {}), topic), 'typing', 'alice').ok).toBe(true)
    expect(c.refusal('carol')).toBe('the sender is blocked')
    blocked.delete('carol')
    expect(c.decode(topic, Buffer.from(JSON.stringify(fromCarol)), 'typing', 'carol').ok).toBe(true)
  })

  it('envelope() stamps a fresh UUIDv7, the version and the time, and keeps dev/seq only when given', () => {
    const before = Date.now()
    const e = envelopeOf('typing', {})
    expect(e).toMatchObject({ v: ENVELOPE_VERSION, type: 'typing', from: 'alice', body: {} })
    expect(e.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7/)
    expect(e.ts).toBeGreaterThanOrEqual(before)
    expect(e).not.toHaveProperty('dev')
    expect(e).not.toHaveProperty('seq')
    const f = envelopeOf('typing', {}, { dev: 'd1', seq: 0, ts: 5, id: ids[0] })
    expect(f).toMatchObject({ dev: 'd1', seq: 0, ts: 5, id: ids[0] })
  })

  it('refuses an envelope of another type than the topic carries', () => {
    const receipt = envelopeOf('receipt', { kind: 'delivered', ids })
    expectDropped(codec.decode(topic, encodeEnvelope(receipt), 'text', 'alice', true), /a receipt envelope on a text topic/)
    const text = textEnvelope('alice', 'd', 'hi', 1)
    expectDropped(codec.decode(topic, encodeEnvelope(text), 'receipt', 'alice'), /a text envelope on a receipt topic/)
    expectDropped(codec.decode(topic, encodeEnvelope(envelopeOf('typing', {})), 'presence', 'alice'), /a typing envelope on a presence topic/)
  })

  it('refuses a receipt, typing or presence envelope whose sender is not the topic sender', () => {
    for (const e of [envelopeOf('receipt', { kind: 'read', ids }), envelopeOf('typing', {}), envelopeOf('presence', { state: 'online' })]) {
      expectDropped(codec.decode(topic, encodeEnvelope(e), e.type, 'mallory'), /envelope sender alice does not match topic sender mallory/)
    }
  })

  it('refuses malformed receipt bodies: no ids, a non-UUID id, an unknown kind', () => {
    const bad = (body: unknown) => encodeEnvelope({ ...envelopeOf('receipt', { kind: 'read', ids }), body } as Envelope)
    expectDropped(codec.decode(topic, bad({ kind: 'read', ids: [] }), 'receipt', 'alice'), /invalid envelope: body\.ids/)
    expectDropped(codec.decode(topic, bad({ kind: 'read', ids: ['x'] }), 'receipt', 'alice'), /invalid envelope: body\.ids/)
    expectDropped(codec.decode(topic, bad({ kind: 'seen', ids }), 'receipt', 'alice'), /invalid envelope: body\.kind/)
  })

  it('refuses malformed JSON, oversize and non-UTF-8 payloads for every type', () => {
    for (const type of ['receipt', 'typing', 'presence'] as const) {
      expectDropped(codec.decode(topic, Buffer.from('{"v":1,'), type, 'alice'), /malformed JSON/)
      expectDropped(codec.decode(topic, Buffer.alloc(MAX_PAYLOAD_BYTES + 1, '{'), type, 'alice'), /over 65536/)
      expectDropped(codec.decode(topic, Buffer.from([0x7b, 0xff, 0x7d]), type, 'alice'), /not UTF-8/)
    }
  })

  it('accepts plain text only for text with plainText on', () => {
    expect(codec.decode(topic, Buffer.from('hi'), 'text', 'alice', true)).toMatchObject({ ok: true, plain: true })
    expectDropped(codec.decode(topic, Buffer.from('hi'), 'text', 'alice'), /not a Parley envelope/)
    expectDropped(codec.decode(topic, Buffer.from('hi'), 'text', 'alice', false), /not a Parley envelope/)
    for (const type of ['receipt', 'typing', 'presence'] as const) {
      expectDropped(codec.decode(topic, Buffer.from('hi'), type, 'alice', true), /not a Parley envelope/)
    }
  })

  it('seals on the way out and opens on the way in through its Sealer; a payload it cannot open is refused', () => {
    const seen: string[] = []
    const xor = (b: Uint8Array) => Buffer.from(b.map((x) => x ^ 0x5a))
    const sealed = new Codec({
      seal: (b, t) => (seen.push(`seal ${t}`), xor(b)),
      open: (p, t) => (seen.push(`open ${t}`), p[0] === 0 ? { reason: 'cannot open this' } : xor(p)),
    })
    const e = envelopeOf('typing', {})
    const wire = sealed.encode(e, topic)
    expect(wire.equals(encodeEnvelope(e))).toBe(false)
    expect(sealed.decode(topic, wire, 'typing', 'alice')).toEqual({ ok: true, plain: false, envelope: e })
    expect(seen).toEqual([`seal ${topic}`, `open ${topic}`])
    expectDropped(sealed.decode(topic, Buffer.from([0, 1, 2]), 'typing', 'alice'), /^cannot open this$/)
    // The plaintext codec cannot read a sealed payload.
    expect(codec.decode(topic, wire, 'typing', 'alice').ok).toBe(false)
  })
})

function envelopeOf<T extends Exclude<EnvelopeType, 'text'>>(
  type: T,
  body: EnvelopeBody<T>,
  extra?: { dev?: string; seq?: number; ts?: number; id?: string },
): EnvelopeOf<T> {
  return buildEnvelope(type, 'alice', body, extra)
}
