/**
 * The tags the index's `scope` column holds: one for the conversation, one for the
 * sender. A tag is a letter and 11 base-32 characters of a 55-bit hash, long and
 * random enough that as a trigram phrase it matches only itself; a hit is still
 * checked against the message's real conversation and sender.
 */

/** FNV-1a, 32 bits, from a seed: two of them make the tag. */
function fnv(s: string, seed: number): number {
  let h = seed >>> 0
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i)
    h = Math.imul(h, 0x01000193) >>> 0
  }
  return h
}

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz234567'

function tag(kind: 'c' | 's', value: string): string {
  let a = fnv(value, 0x811c9dc5)
  let b = fnv(value, 0x01234567)
  let out = kind
  for (let i = 0; i < 11; i++) {
    const from = i < 6 ? a : b
    out += ALPHABET[from & 31]
    if (i < 6) a >>>= 5
    else b >>>= 5
  }
  return out
}

export const conversationTag = (conversationId: string): string => tag('c', conversationId)
/** Senders are found whatever the case of the name typed (from:Bob finds bob). */
export const senderTag = (sender: string): string => tag('s', sender.toLowerCase())

/** The `scope` column of one message. */
export function scopeOf(conversationId: string, sender: string): string {
  return `${conversationTag(conversationId)} ${senderTag(sender)}`
}
