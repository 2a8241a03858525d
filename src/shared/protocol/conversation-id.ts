import { z } from 'zod'

/**
 * A conversation is a kind and an address: `dm:bob`, later `group:team`,
 * `room:team/coding_issues`, `system:eu`. Kinds other than rooms address one
 * name; a room's address is an MQTT topic, so it may contain `/`.
 */
export const CONVERSATION_KINDS = ['dm', 'group', 'room', 'system'] as const
export type ConversationKind = (typeof CONVERSATION_KINDS)[number]

export function conversationId(kind: ConversationKind, address: string): string {
  return `${kind}:${address}`
}

export function dmConversationId(peer: string): string {
  return conversationId('dm', peer)
}

export function parseConversationId(id: string): { kind: ConversationKind; address: string } | null {
  const at = id.indexOf(':')
  if (at <= 0) return null
  const kind = id.slice(0, at) as ConversationKind
  if (!CONVERSATION_KINDS.includes(kind)) return null
  const address = id.slice(at + 1)
  return address ? { kind, address } : null
}

export const ConversationIdSchema = z
  .string()
  .min(1)
  .max(300)
  // A room's address is a topic or a topic filter: `/`, `+` and `#` are allowed there (never whitespace).
  .regex(/^(?:(?:dm|group|system):[^/+#\s]+|room:\S+)$/u, { error: 'Unknown conversation.' })
