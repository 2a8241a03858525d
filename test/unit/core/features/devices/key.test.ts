import { describe, expect, it } from 'vitest'
import { codeToKey, keyToCode, newAccountKey, open, seal, syncKey } from '../../../../../src/main/core/features/devices/key'
import { makeLink, parseLinkInput } from '../../../../../src/main/core/features/devices/link'

const TOPIC = 'IMS/alice/Sync/0123456789abcdef'

describe('device sync sealing', () => {
  const key = syncKey(newAccountKey(), 'alice')

  it('opens what it sealed for the same topic, and nothing else', () => {
    const sealed = seal(key, TOPIC, Buffer.from('{"kind":"sent"}'))
    expect(open(key, TOPIC, sealed)).toEqual(Buffer.from('{"kind":"sent"}'))
    // Moved to another device's topic: the topic is the additional data.
    expect(open(key, 'IMS/alice/Sync/fedcba9876543210', sealed)).toEqual({ reason: expect.stringContaining('does not open') })
    // Another account key, or the same key under another user name.
    expect(open(syncKey(newAccountKey(), 'alice'), TOPIC, sealed)).toHaveProperty('reason')
    expect(open(syncKey(Buffer.alloc(16), 'alice'), TOPIC, sealed)).toHaveProperty('reason')
  })

  it('derives a different key per user from the same account key', () => {
    const k = newAccountKey()
    expect(syncKey(k, 'alice').equals(syncKey(k, 'bob'))).toBe(false)
    expect(syncKey(k, 'alice').equals(syncKey(k, 'alice'))).toBe(true)
  })

  it('refuses altered ciphertext, tag or iv', () => {
    const sealed = seal(key, TOPIC, Buffer.from('hello'))
    const flip = (b64: string) => {
      const b = Buffer.from(b64, 'base64')
      b[0]! ^= 1
      return b.toString('base64')
    }
    expect(open(key, TOPIC, { ...sealed, data: flip(sealed.data) })).toHaveProperty('reason')
    expect(open(key, TOPIC, { ...sealed, tag: flip(sealed.tag) })).toHaveProperty('reason')
    expect(open(key, TOPIC, { ...sealed, iv: flip(sealed.iv) })).toHaveProperty('reason')
    expect(open(key, TOPIC, { ...sealed, tag: '' })).toEqual({ reason: 'sealed with a wrong iv or tag length' })
  })
})

describe('link codes', () => {
  it('are 28 characters in groups of four, and give the key back', () => {
    for (let i = 0; i < 50; i++) {
      const k = newAccountKey()
      const code = keyToCode(k)
      expect(code).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){6}$/)
      expect(codeToKey(code)?.equals(k)).toBe(true)
    }
  })

  it('forgive case, spaces and the look-alikes I/L/O, but catch a mistyped character', () => {
    const k = Buffer.from('00112233445566778899aabbccddeeff', 'hex')
    const code = keyToCode(k)
    expect(codeToKey(code.toLowerCase().replace(/-/g, ' '))?.equals(k)).toBe(true)
    expect(codeToKey(code.replace(/1/g, 'l').replace(/0/g, 'O'))?.equals(k)).toBe(true)
    // Every single-character change of the key part is caught by the check (or the alphabet).
    let caught = 0
    let tried = 0
    const chars = code.replace(/-/g, '')
    for (let i = 0; i < 26; i++) {
      const other = chars[i] === 'X' ? 'Y' : 'X'
      tried++
      if (codeToKey(chars.slice(0, i) + other + chars.slice(i + 1)) === null) caught++
    }
    expect(caught).toBeGreaterThanOrEqual(tried - 1) // a 10-bit check: a miss is possible, not likely
    expect(codeToKey(chars.slice(0, 27))).toBeNull()
    expect(codeToKey('UUUU-' + chars.slice(4))).toBeNull()
  })
})

describe('links', () => {
  it('carry the user, the key and optionally the broker', () => {
    const k = newAccountKey()
    const link = makeLink('alice', k, 'mqtt://127.0.0.1:1883')
    expect(link).toMatch(/^parley:\/\/link\?v=1&user=alice&key=[A-Za-z0-9_-]{22}&broker=mqtt/)
    const parsed = parseLinkInput(`  ${link}\n`)
    expect(parsed).toEqual({ user: 'alice', key: k, broker: 'mqtt://127.0.0.1:1883' })
    expect(parseLinkInput(makeLink('zoë', k))).toEqual({ user: 'zoë', key: k, broker: null })
  })

  it('a code is a key with no user', () => {
    const k = newAccountKey()
    expect(parseLinkInput(keyToCode(k))).toEqual({ user: null, key: k, broker: null })
  })

  it('say what is wrong with a link that is cut short, altered or from elsewhere', () => {
    const link = makeLink('alice', newAccountKey())
    expect(parseLinkInput(link.slice(0, -3))).toEqual({ problem: expect.stringContaining('cut short') })
    expect(parseLinkInput(link.replace('user=alice', 'user=a%2Fb'))).toEqual({ problem: expect.stringContaining('no valid user') })
    expect(parseLinkInput(link.replace('v=1', 'v=2'))).toEqual({ problem: expect.stringContaining('newer Parley') })
    expect(parseLinkInput(link.replace('parley://link', 'parley://other'))).toEqual({ problem: expect.stringContaining('not a parley://link') })
    expect(parseLinkInput('hello there')).toEqual({ problem: expect.stringContaining('28 letters and digits') })
  })
})
