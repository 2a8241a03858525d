import { describe, expect, it } from 'vitest'
import {
  CONVERSATION_KINDS,
  ConversationIdSchema,
  conversationId,
  dmConversationId,
  parseConversationId,
} from '../../../../src/shared/protocol/conversation-id'

describe('conversation ids', () => {
  it('are kind:address', () => {
    expect(dmConversationId('bob')).toBe('dm:bob')
    expect(dmConversationId('李雷')).toBe('dm:李雷')
    expect(conversationId('group', 'team')).toBe('group:team')
    expect(conversationId('room', 'team/coding_issues')).toBe('room:team/coding_issues')
    expect(conversationId('system', 'eu')).toBe('system:eu')
  })

  it('parse back to kind and address for every kind', () => {
    for (const kind of CONVERSATION_KINDS) {
      expect(parseConversationId(conversationId(kind, 'x'))).toEqual({ kind, address: 'x' })
    }
    expect(parseConversationId(dmConversationId('李雷'))).toEqual({ kind: 'dm', address: '李雷' })
    // Only the first ':' separates: a room address may contain ':' and '/'.
    expect(parseConversationId('room:a:b/c')).toEqual({ kind: 'room', address: 'a:b/c' })
  })

  it.each(['bob', 'dm:', ':bob', '', 'chan:x', 'DM:bob', 'dm', '__proto__:x', 'constructor:x'])('parseConversationId refuses %j', (id) => {
    expect(parseConversationId(id)).toBeNull()
  })

  it('the schema accepts 1:1, group, room and system ids; a room may be a topic filter', () => {
    for (const ok of ['dm:bob', 'dm:李雷', 'group:team', 'room:team/coding_issues', 'room:sensors/#', 'room:+/x', 'system:eu']) {
      expect(ConversationIdSchema.safeParse(ok).success, ok).toBe(true)
    }
  })

  it('the schema refuses unknown kinds, empty addresses, spaces, and wildcards and slashes outside rooms', () => {
    for (const bad of ['bob', 'dm:', 'dm:a/b', 'dm:a b', 'dm:#', 'dm:+', 'group:a/b', 'system:a/b', 'room:', 'room:a b', 'chan:x', 'dm:bob\n']) {
      expect(ConversationIdSchema.safeParse(bad).success, JSON.stringify(bad)).toBe(false)
    }
    expect(ConversationIdSchema.safeParse('dm:' + 'x'.repeat(300)).success).toBe(false)
    expect(ConversationIdSchema.safeParse('x').error!.issues[0]!.message).toBe('Unknown conversation.')
  })
})
