import { NameSchema } from '../../../../shared/protocol/names'
import { codeToKey, KEY_BYTES, keyToCode } from './key'

/** What a link or a code carries. */
export interface LinkData {
  /** Whose account (a code does not say: the device's own user). */
  user: string | null
  key: Buffer
  /** Where that account's broker is (a convenience for setting up; never credentials). */
  broker: string | null
}

const LINK_VERSION = '1'

/** `parley://link?v=1&user=alice&key=…` (base64url), optionally `&broker=mqtt://…`. */
export function makeLink(user: string, key: Buffer, broker: string | null = null): string {
  const q = new URLSearchParams({ v: LINK_VERSION, user, key: key.toString('base64url') })
  if (broker) q.set('broker', broker)
  return `parley://link?${q.toString()}`
}

export { keyToCode }

/** A pasted link or a typed code → what it carries, or why it is neither. */
export function parseLinkInput(input: string): LinkData | { problem: string } {
  const text = input.trim()
  if (/^parley:/i.test(text)) {
    let url: URL
    try {
      url = new URL(text)
    } catch {
      return { problem: 'That link is not a valid parley://link address.' }
    }
    if (url.protocol !== 'parley:' || url.hostname !== 'link') return { problem: 'That is not a parley://link address.' }
    const q = url.searchParams
    if ((q.get('v') ?? LINK_VERSION) !== LINK_VERSION) return { problem: 'That link was made by a newer Parley; update this one.' }
    const user = NameSchema.safeParse(q.get('user') ?? '')
    if (!user.success) return { problem: 'That link names no valid user.' }
    const raw = q.get('key') ?? ''
    const key = Buffer.from(raw, 'base64url')
    if (key.length !== KEY_BYTES || key.toString('base64url') !== raw) return { problem: 'That link is cut short or altered (its key is not valid).' }
    const broker = q.get('broker')
    return { user: user.data, key, broker: broker && broker.length <= 500 ? broker : null }
  }
  const key = codeToKey(text)
  if (!key) return { problem: 'That is not a link code: it has 28 letters and digits (e.g. 7K2Q-…); check for a mistyped character.' }
  return { user: null, key, broker: null }
}
