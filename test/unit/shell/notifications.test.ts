import { beforeEach, describe, expect, it, vi } from 'vitest'

const fx = vi.hoisted(() => {
  class FakeNotification {
    static supported = true
    static created: FakeNotification[] = []
    static isSupported() {
      return FakeNotification.supported
    }
    handlers = new Map<string, () => void>()
    shown = false
    constructor(readonly options: { title: string; body: string; silent: boolean }) {
      FakeNotification.created.push(this)
    }
    on(name: string, h: () => void) {
      this.handlers.set(name, h)
      return this
    }
    show() {
      this.shown = true
    }
  }
  return { FakeNotification }
})

vi.mock('electron', () => ({ Notification: fx.FakeNotification }))

import { createMessageNotifier, incomingNotice } from '../../../src/main/notifications'
import { UnreadTally, conversationUnread, trayTooltip } from '../../../src/main/unread'

const incoming = (over: Record<string, unknown> = {}) => ({
  id: 'm1',
  conversationId: 'dm:bob',
  sender: 'bob',
  direction: 'in',
  ts: 1,
  text: 'hello there',
  status: 'received',
  ...over,
})

const conversation = (over: Record<string, unknown> = {}) => ({ id: 'dm:bob', kind: 'dm', peer: 'bob', folder: 'inbox', unread: 1, ...over })

describe('message notifications', () => {
  beforeEach(() => {
    fx.FakeNotification.created = []
    fx.FakeNotification.supported = true
  })

  it('shows the sender and text of an incoming message while the window is not focused', () => {
    const showWindow = vi.fn()
    const notify = createMessageNotifier({ isWindowFocused: () => false, showWindow })
    notify('message', incoming())
    // The conversation's event (which follows every message's) says it is not a message request.
    expect(fx.FakeNotification.created).toHaveLength(0)
    notify('conversation', conversation())
    expect(fx.FakeNotification.created).toHaveLength(1)
    const n = fx.FakeNotification.created[0]!
    expect(n.options).toMatchObject({ title: 'bob', body: 'hello there', silent: false })
    expect(n.shown).toBe(true)
    n.handlers.get('click')!()
    expect(showWindow).toHaveBeenCalledTimes(1)
  })

  it('stays quiet when focused, for own messages, other events and repeats', () => {
    let focused = true
    const notify = createMessageNotifier({ isWindowFocused: () => focused, showWindow: vi.fn() })
    notify('message', incoming({ id: 'a' }))
    notify('conversation', conversation())
    focused = false
    notify('message', incoming({ id: 'b', direction: 'out' }))
    notify('conversation', incoming({ id: 'c' }))
    notify('message', { junk: true })
    notify('message', incoming({ id: 'd' }))
    notify('message', incoming({ id: 'd', status: 'received' }))
    notify('conversation', conversation())
    expect(fx.FakeNotification.created.map((n) => n.options.title)).toEqual(['bob'])
  })

  it('stays quiet for message requests (a stranger wrote first), and speaks again once accepted', () => {
    const notify = createMessageNotifier({ isWindowFocused: () => false, showWindow: vi.fn() })
    notify('message', incoming({ id: 'r1', conversationId: 'dm:eve', sender: 'eve' }))
    notify('conversation', conversation({ id: 'dm:eve', folder: 'requests' }))
    notify('message', incoming({ id: 'r2', conversationId: 'dm:eve', sender: 'eve' }))
    notify('conversation', conversation({ id: 'dm:eve', folder: 'requests' }))
    expect(fx.FakeNotification.created).toHaveLength(0)
    notify('conversation', conversation({ id: 'dm:eve', folder: 'inbox' }))
    notify('message', incoming({ id: 'r3', conversationId: 'dm:eve', sender: 'eve', text: 'now you know me' }))
    notify('conversation', conversation({ id: 'dm:eve', folder: 'inbox' }))
    expect(fx.FakeNotification.created.map((n) => n.options.body)).toEqual(['now you know me'])
  })

  it('stays quiet for a muted group, except for a message that mentions me (once, whichever event comes first)', () => {
    const notify = createMessageNotifier({ isWindowFocused: () => false, showWindow: vi.fn() })
    const g = 'group:grp_abcdefghijklmnopqrst'
    notify('group', { id: 'grp_abcdefghijklmnopqrst', conversationId: g, muted: true })
    notify('message', incoming({ id: 'g1', conversationId: g, sender: 'bob', text: 'chatter' }))
    notify('conversation', conversation({ id: g, kind: 'group' }))
    expect(fx.FakeNotification.created).toHaveLength(0)
    notify('message', incoming({ id: 'g2', conversationId: g, sender: 'bob', text: '@alice look' }))
    notify('groupMention', { groupId: 'grp_abcdefghijklmnopqrst', conversationId: g, messageId: 'g2', from: 'bob', text: '@alice look' })
    notify('conversation', conversation({ id: g, kind: 'group' }))
    expect(fx.FakeNotification.created.map((n) => n.options.body)).toEqual(['@alice look'])
    // Unmuted: every message, and a mention is still one notice, not two.
    notify('group', { id: 'grp_abcdefghijklmnopqrst', conversationId: g, muted: false })
    notify('groupMention', { groupId: 'grp_abcdefghijklmnopqrst', conversationId: g, messageId: 'g3', from: 'bob', text: '@alice again' })
    notify('message', incoming({ id: 'g3', conversationId: g, sender: 'bob', text: '@alice again' }))
    notify('conversation', conversation({ id: g, kind: 'group' }))
    expect(fx.FakeNotification.created.map((n) => n.options.body)).toEqual(['@alice look', '@alice again'])
  })

  it('cuts the body to 120 characters', () => {
    const long = 'é'.repeat(200)
    expect(incomingNotice(incoming({ text: long }))!.body).toBe('é'.repeat(120) + '…')
    expect(incomingNotice(incoming({ text: 'x'.repeat(120) }))!.body).toBe('x'.repeat(120))
    // An open room is read when the person looks: a sensor's topic must not flood the desktop.
    expect(incomingNotice(incoming({ conversationId: 'room:sensors/#' }))).toBeNull()
  })
})

describe('unread tally', () => {
  it('sums unread counts per conversation for the tray tooltip', () => {
    const t = new UnreadTally()
    expect(t.set('dm:bob', 2)).toBe(2)
    expect(t.set('dm:ann', 3)).toBe(5)
    expect(t.set('dm:bob', 0)).toBe(3)
    expect(trayTooltip(t.total)).toBe('Parley — 3 unread')
    expect(trayTooltip(0)).toBe('Parley')
    expect(conversationUnread({ id: 'dm:x', unread: 4 })).toEqual({ id: 'dm:x', unread: 4 })
    expect(conversationUnread({ id: 'dm:x' })).toBeNull()
    expect(conversationUnread(null)).toBeNull()
  })
})
