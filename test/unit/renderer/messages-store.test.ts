import { beforeEach, describe, expect, it } from 'vitest'
import { createPinia, setActivePinia } from 'pinia'
import type { ChatMessage, MessageStatus } from '../../../src/shared/contract'
import { useMessagesStore } from '../../../src/renderer/src/features/messages/store'
import { laterStatus, statusMark } from '../../../src/renderer/src/features/messages/status'

const msg = (id: string, ts: number, status: MessageStatus = 'received', error: string | null = null): ChatMessage => ({
  id,
  conversationId: 'dm:bob',
  sender: status === 'received' || status === 'seen' ? 'bob' : 'alice',
  direction: status === 'received' || status === 'seen' ? 'in' : 'out',
  ts,
  text: `text ${id}`,
  status,
  error,
})

describe('messages store', () => {
  beforeEach(() => setActivePinia(createPinia()))

  const statusOf = (id: string) => useMessagesStore().thread('dm:bob').messages.find((m) => m.id === id)?.status

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

  it('never moves a status backwards: read > delivered > sent > pending', () => {
    const s = useMessagesStore()
    s.upsert(msg('a', 10, 'pending'))
    s.upsert(msg('a', 10, 'read'))
    for (const late of ['delivered', 'sent', 'pending', 'failed'] as const) {
      s.upsert(msg('a', 10, late))
      expect(statusOf('a')).toBe('read')
    }
    s.upsert(msg('b', 20, 'delivered'))
    s.upsert(msg('b', 20, 'sent'))
    expect(statusOf('b')).toBe('delivered')
    s.upsert(msg('b', 20, 'read'))
    expect(statusOf('b')).toBe('read')
  })

  it('lets a failed message go back to pending (retry), and a pending one fail', () => {
    const s = useMessagesStore()
    s.upsert(msg('a', 10, 'pending'))
    s.upsert(msg('a', 10, 'failed', 'The broker refused it.'))
    expect(s.thread('dm:bob').messages[0]).toMatchObject({ status: 'failed', error: 'The broker refused it.' })
    s.upsert(msg('a', 10, 'pending'))
    expect(s.thread('dm:bob').messages[0]).toMatchObject({ status: 'pending', error: null })
    s.upsert(msg('a', 10, 'sent'))
    expect(statusOf('a')).toBe('sent')
  })

  it('keeps the higher status when a page races an event', () => {
    const s = useMessagesStore()
    s.addPage('dm:bob', { messages: [msg('a', 10, 'sent')], hasMore: false, hasNewer: false, firstUnread: null }, false)
    s.upsert(msg('a', 10, 'delivered'))
    s.addPage('dm:bob', { messages: [msg('a', 10, 'sent')], hasMore: false, hasNewer: false, firstUnread: null }, false)
    expect(statusOf('a')).toBe('delivered')
  })

  it('keeps incoming messages seen once seen', () => {
    const s = useMessagesStore()
    s.upsert(msg('a', 10, 'seen'))
    s.upsert(msg('a', 10, 'received'))
    expect(statusOf('a')).toBe('seen')
  })

  it('drops a removed message, and a late event or page does not bring it back', () => {
    const s = useMessagesStore()
    s.addPage('dm:bob', { messages: [msg('a', 10), msg('b', 20)], hasMore: false, hasNewer: false, firstUnread: null }, false)
    s.remove('dm:bob', 'a')
    expect(s.thread('dm:bob').messages.map((m) => m.id)).toEqual(['b'])
    s.upsert(msg('a', 10))
    s.addPage('dm:bob', { messages: [msg('a', 10), msg('b', 20)], hasMore: false, hasNewer: false, firstUnread: null }, false)
    expect(s.thread('dm:bob').messages.map((m) => m.id)).toEqual(['b'])
    // Removing something not held is harmless.
    s.remove('dm:carol', 'zz')
    expect(s.threads['dm:carol']).toBeUndefined()
  })

  it('merges an older page in front without duplicating what events already added', () => {
    const s = useMessagesStore()
    s.upsert(msg('d', 40))
    s.addPage('dm:bob', { messages: [msg('c', 30), msg('d', 40)], hasMore: true, hasNewer: false, firstUnread: null }, false)
    s.addPage('dm:bob', { messages: [msg('a', 10), msg('b', 20)], hasMore: false, hasNewer: false, firstUnread: null }, true)
    const t = s.thread('dm:bob')
    expect(t.messages.map((m) => m.id)).toEqual(['a', 'b', 'c', 'd'])
    expect(t.hasMore).toBe(false)
    expect(t.loaded).toBe(true)
  })

  it('starts over from a newest page that leaves a gap after being away', () => {
    const s = useMessagesStore()
    s.addPage('dm:bob', { messages: [msg('a', 10), msg('b', 20)], hasMore: false, hasNewer: false, firstUnread: null }, false)
    s.addPage('dm:bob', { messages: [msg('y', 90), msg('z', 100)], hasMore: true, hasNewer: false, firstUnread: null }, false)
    const t = s.thread('dm:bob')
    expect(t.messages.map((m) => m.id)).toEqual(['y', 'z'])
    expect(t.hasMore).toBe(true)
  })
})

describe('message status marks', () => {
  it('orders statuses with failed level with pending', () => {
    expect(laterStatus('sent', 'pending')).toBe('sent')
    expect(laterStatus('failed', 'pending')).toBe('pending')
    expect(laterStatus('pending', 'failed')).toBe('failed')
    expect(laterStatus('delivered', 'read')).toBe('read')
  })

  it('labels each outgoing status for its tooltip and screen readers', () => {
    expect(statusMark('pending')).toEqual({ label: 'Sending…', icon: 'clock' })
    expect(statusMark('sent')).toEqual({ label: 'Sent', icon: 'check' })
    expect(statusMark('delivered')).toEqual({ label: 'Delivered', icon: 'check-double' })
    expect(statusMark('read')).toEqual({ label: 'Read', icon: 'check-double' })
    expect(statusMark('failed')).toEqual({ label: 'Not sent', icon: 'alert' })
    expect(statusMark('received')).toBeNull()
  })
})
