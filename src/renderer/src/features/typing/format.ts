import { isolate } from '../../ui/bidi'

/** "typing…" in a 1:1 chat; who is typing in a conversation with more people; null when nobody is. */
export function typingLine(kind: string, users: readonly string[]): string | null {
  if (users.length === 0) return null
  if (kind === 'dm') return 'typing…'
  if (users.length === 1) return `${isolate(users[0]!)} is typing…`
  return 'several people are typing…'
}
