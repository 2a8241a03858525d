import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from 'node:crypto'

/** The account device key: random bytes every linked device of one account holds. */
export const KEY_BYTES = 16
const IV_BYTES = 12
const TAG_BYTES = 16
const SALT = Buffer.from('parley device sync v1')

/** What travels in a `sync` envelope's body, base64. */
export interface Sealed {
  iv: string
  data: string
  tag: string
}

export function newAccountKey(): Buffer {
  return randomBytes(KEY_BYTES)
}

/**
 * The AES-256-GCM key for `user`'s device sync: HKDF-SHA256 over the account key,
 * with the user in the info, so a key entered under another name opens nothing.
 */
export function syncKey(accountKey: Buffer, user: string): Buffer {
  return Buffer.from(hkdfSync('sha256', accountKey, SALT, Buffer.from(`sync:${user}`), 32))
}

/** Seals `plain` for `topic`: the topic is the additional data, so an item moved to another topic does not open. */
export function seal(key: Buffer, topic: string, plain: Buffer): Sealed {
  const iv = randomBytes(IV_BYTES)
  const cipher = createCipheriv('aes-256-gcm', key, iv)
  cipher.setAAD(Buffer.from(topic))
  const data = Buffer.concat([cipher.update(plain), cipher.final()])
  return { iv: iv.toString('base64'), data: data.toString('base64'), tag: cipher.getAuthTag().toString('base64') }
}

/** The opened bytes, or a reason it does not open (another key, another topic, tampered). */
export function open(key: Buffer, topic: string, sealed: Sealed): Buffer | { reason: string } {
  const iv = Buffer.from(sealed.iv, 'base64')
  const tag = Buffer.from(sealed.tag, 'base64')
  if (iv.length !== IV_BYTES || tag.length !== TAG_BYTES) return { reason: 'sealed with a wrong iv or tag length' }
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES })
    decipher.setAAD(Buffer.from(topic))
    decipher.setAuthTag(tag)
    return Buffer.concat([decipher.update(Buffer.from(sealed.data, 'base64')), decipher.final()])
  } catch {
    return { reason: 'does not open with this account key (another key, or altered)' }
  }
}

// ------------------------------------------------------------------ the code

/** Crockford's base32: no I, L, O or U, so nothing is misread; decoding forgives i/l → 1 and o → 0. */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ'
const KEY_CHARS = Math.ceil((KEY_BYTES * 8) / 5) // 26
const CHECK_CHARS = 2

function base32(bytes: Buffer, chars: number): string {
  let out = ''
  let bits = 0
  let value = 0
  for (const b of bytes) {
    value = (value << 8) | b
    bits += 8
    while (bits >= 5) {
      out += ALPHABET[(value >>> (bits - 5)) & 31]
      bits -= 5
    }
    value &= (1 << bits) - 1
  }
  if (bits > 0) out += ALPHABET[(value << (5 - bits)) & 31]
  return out.slice(0, chars)
}

/** Two characters (10 bits) of SHA-256: a mistyped code is caught before it is used. */
function check(key: Buffer): string {
  return base32(createHash('sha256').update(SALT).update(key).digest(), CHECK_CHARS)
}

/** The key as a person types it: 28 characters in groups of four (`7K2Q-…`), the last two a check. */
export function keyToCode(key: Buffer): string {
  const all = base32(key, KEY_CHARS) + check(key)
  return all.match(/.{1,4}/g)!.join('-')
}

/** A typed code back to the key; null when it is not a code or its check does not match. */
export function codeToKey(code: string): Buffer | null {
  const clean = code
    .toUpperCase()
    .replace(/[\s-]/g, '')
    .replace(/[IL]/g, '1')
    .replace(/O/g, '0')
  if (clean.length !== KEY_CHARS + CHECK_CHARS) return null
  let bits = 0
  let value = 0
  const bytes: number[] = []
  for (const ch of clean.slice(0, KEY_CHARS)) {
    const v = ALPHABET.indexOf(ch)
    if (v < 0) return null
    value = (value << 5) | v
    bits += 5
    if (bits >= 8) {
      bytes.push((value >>> (bits - 8)) & 0xff)
      bits -= 8
    }
    value &= (1 << bits) - 1
  }
  const key = Buffer.from(bytes.slice(0, KEY_BYTES))
  if (key.length !== KEY_BYTES || value !== 0) return null // the padding bits must be zero
  return check(key) === clean.slice(KEY_CHARS) ? key : null
}
