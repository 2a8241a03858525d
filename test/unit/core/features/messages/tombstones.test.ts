import { describe, expect, it } from 'vitest'
import { ConversationStore } from '../../../../../src/main/core/features/conversations/store'
import { MessageStore } from '../../../../../src/main/core/features/messages/store'
import { msg, openStores } from '../stores'

describe('deleted messages stay deleted', () => {
  it('a removed id is not stored again, before or after a restart, and still belongs to its conversation', () => {
    const { db, messages, conversations } = openStores()
    const m = msg()
    const other = msg()
    expect(messages.insert(m)).toBe(true)
    expect(messages.remove(m.id)).toBe('dm:alice')
    expect(messages.insert(m)).toBe(false)
    expect(messages.insert(other)).toBe(true) // the rest still goes in
    expect(messages.conversationOf(m.id)).toBe('dm:alice')
    // A new store over the same history (a restart) knows of the deletion too.
    const again = new MessageStore(db, new ConversationStore(db))
    expect(again.insert(m)).toBe(false)
    expect(again.get(m.id)).toBeNull()
    expect(conversations.get('dm:alice')?.lastMessage?.id).toBe(other.id)
  })

  it('forgets deletions older than the cut-off, after which the id could be stored again', () => {
    const { messages } = openStores()
    const m = msg()
    messages.insert(m)
    messages.remove(m.id)
    messages.pruneTombstones(Date.now() + 1)
    expect(messages.conversationOf(m.id)).toBeNull()
    expect(messages.insert(m)).toBe(true)
  })
})
