import type Database from 'better-sqlite3'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { ConversationStore } from '../../../../../src/main/core/features/conversations/store'
import type { MessageStore } from '../../../../../src/main/core/features/messages/store'
import { msg, openStores, T } from '../stores'

describe('ConversationStore', () => {
  let db: Database.Database
  let messages: MessageStore
  let store: ConversationStore

  beforeEach(() => {
    ;({ db, messages, conversations: store } = openStores())
  })
  afterEach(() => db.close())

  it('an opened conversation without messages has no lastMessage', () => {
    expect(store.ensure('dm:李雷', 5)).toBe(true)
    const c = store.get('dm:李雷')
    expect(c).toEqual({ id: 'dm:李雷', kind: 'dm', peer: '李雷', title: '李雷', folder: 'inbox', unread: 0, updatedAt: 5, lastMessage: null })
    expect(store.ensure('dm:李雷', 9)).toBe(false) // idempotent
    expect(store.get('dm:李雷')).toEqual(c)
  })

  it('every kind is stored with its address as peer', () => {
    for (const id of ['group:team', 'room:team/coding_issues', 'system:eu']) store.ensure(id, 1)
    expect(store.get('room:team/coding_issues')).toMatchObject({ kind: 'room', peer: 'team/coding_issues' })
    expect(store.peers('group')).toEqual(['team'])
    expect(store.peers('dm')).toEqual([])
    expect(store.count()).toBe(3)
  })

  it('folder rules place only conversations someone else starts; the first rule that answers wins', () => {
    const strangers = new Set(['mallory'])
    store.addFolderRule((c) => (c.kind === 'dm' && strangers.has(c.peer) ? 'requests' : null))
    store.addFolderRule(() => 'inbox')
    messages.insertMany([msg({ peer: 'mallory' }), msg({ peer: 'alice' })])
    expect(store.get('dm:mallory')?.folder).toBe('requests')
    expect(store.get('dm:alice')?.folder).toBe('inbox')
    // A conversation I start (opened, or my message first) is mine: the inbox.
    messages.insert(msg({ peer: 'zed', sender: 'me', direction: 'out', status: 'pending' }))
    strangers.add('zed')
    expect(store.get('dm:zed')?.folder).toBe('inbox')
    expect(store.setFolder('dm:mallory', 'inbox')).toBe(true)
    expect(store.setFolder('dm:mallory', 'inbox')).toBe(false)
    expect(store.get('dm:mallory')?.folder).toBe('inbox')
  })

  it('refuses what is not a conversation id', () => {
    expect(() => store.ensure('bob')).toThrow('not a conversation id: bob')
    expect(() => store.ensure('chat:bob')).toThrow(/not a conversation id/)
    expect(store.count()).toBe(0)
  })

  it('unread counts incoming messages only, and markRead clears them', () => {
    messages.insertMany([msg(), msg(), msg({ direction: 'out', sender: 'me', status: 'sent' })])
    expect(store.get('dm:alice')?.unread).toBe(2)
    expect(store.markRead('dm:alice')).toBe(true)
    expect(store.get('dm:alice')?.unread).toBe(0)
    expect(store.markRead('dm:alice')).toBe(false)
    expect(store.markRead('dm:nobody')).toBe(false)
    messages.insert(msg())
    expect(store.get('dm:alice')?.unread).toBe(1)
  })

  it('are ordered by latest activity, each with its last message', () => {
    const a1 = msg({ peer: 'alice', ts: T + 100 })
    const b1 = msg({ peer: 'bob', ts: T + 200 })
    const c1 = msg({ peer: 'carol', ts: T + 300 })
    messages.insertMany([a1, b1, c1])
    expect(store.list().map((c) => c.peer)).toEqual(['carol', 'bob', 'alice'])

    const a2 = msg({ peer: 'alice', sender: 'me', direction: 'out', status: 'pending', ts: T + 400, text: 'latest' })
    messages.insert(a2)
    const list = store.list()
    expect(list.map((c) => c.peer)).toEqual(['alice', 'carol', 'bob'])
    expect(list[0]).toMatchObject({
      updatedAt: T + 400,
      unread: 1,
      lastMessage: { id: a2.id, text: 'latest', ts: T + 400, sender: 'me', direction: 'out', status: 'pending' },
    })
    expect(list[1]!.lastMessage?.id).toBe(c1.id)
    expect(store.peers('dm').sort()).toEqual(['alice', 'bob', 'carol'])
  })

  it('a late-arriving older message does not move a conversation back or become its last message', () => {
    const newer = msg({ ts: T + 500 })
    const older = msg({ ts: T + 50 })
    messages.insert(newer)
    messages.insert(older)
    const c = store.get('dm:alice')!
    expect(c.updatedAt).toBe(T + 500)
    expect(c.lastMessage?.id).toBe(newer.id)
  })

  it('the last message follows a status change and a removal', () => {
    const a = msg({ ts: T + 1 })
    const b = msg({ peer: 'alice', sender: 'me', direction: 'out', status: 'pending', ts: T + 2 })
    messages.insertMany([a, b])
    messages.markSent(b.id)
    expect(store.get('dm:alice')!.lastMessage).toMatchObject({ id: b.id, status: 'sent' })
    messages.remove(b.id)
    expect(store.get('dm:alice')!.lastMessage?.id).toBe(a.id)
  })
})
