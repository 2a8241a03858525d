import { beforeEach, describe, expect, it } from 'vitest'
import { createPinia, setActivePinia } from 'pinia'
import type { ChatMessage } from '../../../src/shared/contract'
import { useMessagesStore } from '../../../src/renderer/src/stores/messages'

const msg = (id: string, ts: number, status: ChatMessage['status'] = 'received'): ChatMessage => ({
  id,
  conversationId: 'dm:bob',
  sender: 'bob',
  direction: status === 'received' ? 'in' : 'out',
  ts,
  text: `text ${id}`,
  status,
})

describe('messages store', () => {
  beforeEach(() => setActivePinia(createPinia()))

  it('keeps a thread ordered by time whatever order messages arrive in', () => {
    const s = useMessagesStore()
    s.upsert(msg('c', 30))
    s.upsert(msg('a', 10))
    s.upsert(msg('b', 20))
    expect(s.thread('dm:bob').messages.map((m) => m.id)).toEqual(['a', 'b', 'c'])
  })

  it('replaces a message by id, and a late pending never undoes sent', () => {
    const s = useMessagesStore()
    s.upsert(msg('a', 10, 'pending'))
    s.upsert(msg('a', 10, 'sent'))
    s.upsert(msg('a', 10, 'pending'))
    const list = s.thread('dm:bob').messages
    expect(list).toHaveLength(1)
    expect(list[0]!.status).toBe('sent')
  })

  it('merges an older page in front without duplicating what events already added', () => {
    const s = useMessagesStore()
    s.upsert(msg('d', 40))
    s.addPage('dm:bob', { messages: [msg('c', 30), msg('d', 40)], hasMore: true }, false)
    s.addPage('dm:bob', { messages: [msg('a', 10), msg('b', 20)], hasMore: false }, true)
    const t = s.thread('dm:bob')
    expect(t.messages.map((m) => m.id)).toEqual(['a', 'b', 'c', 'd'])
    expect(t.hasMore).toBe(false)
    expect(t.loaded).toBe(true)
  })

  it('starts over from a newest page that leaves a gap after being away', () => {
    const s = useMessagesStore()
    s.addPage('dm:bob', { messages: [msg('a', 10), msg('b', 20)], hasMore: false }, false)
    s.addPage('dm:bob', { messages: [msg('y', 90), msg('z', 100)], hasMore: true }, false)
    const t = s.thread('dm:bob')
    expect(t.messages.map((m) => m.id)).toEqual(['y', 'z'])
    expect(t.hasMore).toBe(true)
  })
})
