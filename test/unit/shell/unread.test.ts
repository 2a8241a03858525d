import { describe, expect, it } from 'vitest'
import { conversationUnread, UnreadTally } from '../../../src/main/unread'

describe('tray unread count', () => {
  it('counts message requests as nothing: they get a quiet count in the app only', () => {
    const tally = new UnreadTally()
    const inbox = conversationUnread({ id: 'dm:bob', unread: 2, folder: 'inbox' })!
    const request = conversationUnread({ id: 'dm:mallory', unread: 40, folder: 'requests' })!
    expect(request).toEqual({ id: 'dm:mallory', unread: 0 })
    tally.set(inbox.id, inbox.unread)
    expect(tally.set(request.id, request.unread)).toBe(2)
    // Accepted: it moves to the inbox and counts from then on.
    const accepted = conversationUnread({ id: 'dm:mallory', unread: 40, folder: 'inbox' })!
    expect(tally.set(accepted.id, accepted.unread)).toBe(42)
  })
})
