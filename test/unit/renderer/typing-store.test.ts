import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createPinia, setActivePinia } from 'pinia'
import { TYPING_EXPIRES_MS, useTypingStore } from '../../../src/renderer/src/features/typing/store'
import { typingLine } from '../../../src/renderer/src/features/typing/format'

describe('typing store', () => {
  beforeEach(() => {
    setActivePinia(createPinia())
    vi.useFakeTimers()
  })
  afterEach(() => vi.useRealTimers())

  it('shows a typing notice until it expires without a refresh', () => {
    const s = useTypingStore()
    s.notice({ conversationId: 'dm:bob', user: 'bob', typing: true })
    expect(s.typers('dm:bob')).toEqual(['bob'])
    vi.advanceTimersByTime(TYPING_EXPIRES_MS - 1)
    expect(s.typers('dm:bob')).toEqual(['bob'])
    vi.advanceTimersByTime(1)
    expect(s.typers('dm:bob')).toEqual([])
  })

  it('a refresh restarts the expiry', () => {
    const s = useTypingStore()
    s.notice({ conversationId: 'dm:bob', user: 'bob', typing: true })
    vi.advanceTimersByTime(TYPING_EXPIRES_MS - 1000)
    s.notice({ conversationId: 'dm:bob', user: 'bob', typing: true })
    vi.advanceTimersByTime(TYPING_EXPIRES_MS - 1000)
    expect(s.typers('dm:bob')).toEqual(['bob'])
    vi.advanceTimersByTime(1000)
    expect(s.typers('dm:bob')).toEqual([])
  })

  it('stops on typing:false and on a message from that user, leaving others', () => {
    const s = useTypingStore()
    s.notice({ conversationId: 'group:team', user: 'bob', typing: true })
    s.notice({ conversationId: 'group:team', user: 'carol', typing: true })
    s.notice({ conversationId: 'group:team', user: 'bob', typing: false })
    expect(s.typers('group:team')).toEqual(['carol'])
    s.stop('group:team', 'carol')
    expect(s.typers('group:team')).toEqual([])
    expect(vi.getTimerCount()).toBe(0)
  })

  it('clear forgets every notice and its timers', () => {
    const s = useTypingStore()
    s.notice({ conversationId: 'dm:bob', user: 'bob', typing: true })
    s.notice({ conversationId: 'dm:carol', user: 'carol', typing: true })
    s.clear()
    expect(s.typers('dm:bob')).toEqual([])
    expect(vi.getTimerCount()).toBe(0)
  })

  it('words the line for a chat and for a group', () => {
    expect(typingLine('dm', [])).toBeNull()
    expect(typingLine('dm', ['bob'])).toBe('typing…')
    expect(typingLine('group', ['bob'])).toBe('\u2068bob\u2069 is typing…')
    expect(typingLine('group', ['bob', 'carol'])).toBe('several people are typing…')
  })
})
