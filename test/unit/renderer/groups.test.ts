/**
 * The groups renderer feature: its words (member line, receipt counts, @mention
 * parsing), its store, and its wiring over a fake API — the group list kept by
 * events, the header line with presence, mention highlights, receipt counts in a
 * message's details and @mention completions. The index modules export Vue
 * components, which these Node tests cannot load, so they are replaced by their
 * non-component parts.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createPinia, setActivePinia, type Pinia } from 'pinia'
import type { ChatMessage, GroupMember, GroupSummary, ParleyApi } from '../../../src/shared/contract'
import { defineFeature } from '../../../src/renderer/src/features/feature'
import { setupAccount } from '../../../src/renderer/src/features/account/io'
import { ConversationsActionsKey, setupConversations } from '../../../src/renderer/src/features/conversations/io'
import { useConversationsStore } from '../../../src/renderer/src/features/conversations/store'
import { setupPresence } from '../../../src/renderer/src/features/presence/io'
import { GroupsActionsKey, setupGroups } from '../../../src/renderer/src/features/groups/io'
import { addGroupTexts } from '../../../src/renderer/src/features/groups/texts'
import { useGroupsStore } from '../../../src/renderer/src/features/groups/store'
import {
  isOnline,
  matching,
  memberLine,
  mentionQuery,
  mentions,
  nameProblem,
  receiptLine,
  senderHue,
} from '../../../src/renderer/src/features/groups/format'
import { fakeApi, fakePage } from './fake-api'
import { installOver, type Installed } from './install-features'

vi.mock('../../../src/renderer/src/features/account/index.ts', async () => ({
  ...(await import('../../../src/renderer/src/features/account/io')),
  ...(await import('../../../src/renderer/src/features/account/store')),
}))
vi.mock('../../../src/renderer/src/features/conversations/index.ts', async () => ({
  ...(await import('../../../src/renderer/src/features/conversations/io')),
  ...(await import('../../../src/renderer/src/features/conversations/store')),
}))
vi.mock('../../../src/renderer/src/features/presence/index.ts', async () => ({
  ...(await import('../../../src/renderer/src/features/presence/io')),
  ...(await import('../../../src/renderer/src/features/presence/store')),
  ...(await import('../../../src/renderer/src/features/presence/format')),
}))
vi.mock('../../../src/renderer/src/features/profiles/index.ts', async () => ({
  ...(await import('../../../src/renderer/src/features/profiles/io')),
}))

const member = (user: string, state: GroupMember['state'] = 'member', admin = false): GroupMember => ({ user, state, admin })

const group = (over: Partial<GroupSummary> = {}): GroupSummary => ({
  id: 'grp_aaaaaaaaaaaaaaaaaaaa',
  conversationId: 'group:grp_aaaaaaaaaaaaaaaaaaaa',
  name: 'Hikers',
  avatar: null,
  members: [member('alice', 'member', true), member('bob'), member('carol')],
  version: 1,
  membership: 'member',
  admin: true,
  invitedBy: null,
  muted: false,
  updatedAt: 10,
  ...over,
})

const message = (over: Partial<ChatMessage> = {}): ChatMessage => ({
  id: 'm1',
  conversationId: 'group:grp_aaaaaaaaaaaaaaaaaaaa',
  sender: 'bob',
  direction: 'in',
  ts: 10,
  text: 'hi',
  status: 'received',
  error: null,
  ...over,
})

describe('group words', () => {
  it('counts members (not invitees) and who of them is online, me included', () => {
    const members = [member('alice', 'member', true), member('bob'), member('carol'), member('dave', 'invited')]
    expect(memberLine(members, (u) => u === 'alice' || u === 'carol')).toBe('3 members, 2 online, 1 invited')
    expect(memberLine([member('alice')], () => true)).toBe('1 member, 1 online')
    expect(isOnline('away')).toBe(true)
    expect(isOnline('offline')).toBe(false)
    expect(isOnline(undefined)).toBe(false)
  })

  it('says how far a group message got', () => {
    expect(receiptLine({ members: 3, delivered: 2, read: 1 })).toBe('Delivered to 2 of 3, read by 1')
    expect(receiptLine({ members: 0, delivered: 0, read: 0 })).toBe('No other members when sent')
  })

  it('finds an @mention being typed only at a word start', () => {
    expect(mentionQuery('hello @bo')).toEqual({ start: 6, query: 'bo' })
    expect(mentionQuery('@')).toEqual({ start: 0, query: '' })
    expect(mentionQuery('mail me at a@bo')).toBeNull()
    expect(mentionQuery('hello @bob ')).toBeNull()
  })

  it('sees a mention of a whole user name only', () => {
    expect(mentions('hey @bob, look', 'bob')).toBe(true)
    expect(mentions('@bob', 'bob')).toBe(true)
    expect(mentions('@BOB!', 'bob')).toBe(true)
    expect(mentions('hey @bobby', 'bob')).toBe(false)
    expect(mentions('mail bob@bob.example', 'bob')).toBe(false)
    expect(mentions('no one here', 'bob')).toBe(false)
    // A user name with regex characters is matched literally.
    expect(mentions('hi @a.b', 'a.b')).toBe(true)
    expect(mentions('hi @axb', 'a.b')).toBe(false)
  })

  it('filters people by user or shown name, and checks a group name', () => {
    const people = [
      { user: 'bob', name: '鲍勃 Bob' },
      { user: 'carol', name: 'Carol' },
    ]
    expect(matching(people, 'BO').map((p) => p.user)).toEqual(['bob'])
    expect(matching(people, '鲍').map((p) => p.user)).toEqual(['bob'])
    expect(matching(people, ' ').map((p) => p.user)).toEqual(['bob', 'carol'])
    expect(nameProblem('  ')).toBe('Give the group a name.')
    expect(nameProblem('x'.repeat(65))).toMatch(/at most 64/)
    expect(nameProblem('Hikers')).toBeNull()
    expect(senderHue('bob')).toBe(senderHue('bob'))
    expect(senderHue('bob')).not.toBe(senderHue('carol'))
  })
})

describe('groups store', () => {
  beforeEach(() => setActivePinia(createPinia()))

  it('keeps the newest answer, lists invites apart and finds a group by its conversation', () => {
    const store = useGroupsStore()
    store.replaceAll([group(), group({ id: 'grp_b', conversationId: 'group:grp_b', membership: 'invited', updatedAt: 20 })])
    expect(store.invites.map((g) => g.id)).toEqual(['grp_b'])
    expect(store.byConversation['group:grp_aaaaaaaaaaaaaaaaaaaa']?.name).toBe('Hikers')

    store.set(group({ name: 'Old', updatedAt: 5 }))
    expect(store.byId.grp_aaaaaaaaaaaaaaaaaaaa?.name).toBe('Hikers')
    store.set(group({ name: 'Climbers', updatedAt: 11 }))
    expect(store.byId.grp_aaaaaaaaaaaaaaaaaaaa?.name).toBe('Climbers')

    store.showDetails('grp_b')
    expect(store.details?.id).toBe('grp_b')
    store.drop('grp_b')
    expect(store.details).toBeNull()
    expect(store.invites).toEqual([])
  })
})

describe('groups over a fake API', () => {
  let fake: ReturnType<typeof groupsApi>
  let installed: Installed | undefined
  let pinia: Pinia

  function groupsApi() {
    const base = fakeApi()
    type Api = ParleyApi
    const groups = {
      list: vi.fn<Api['groups']['list']>(async () => [group()]),
      get: vi.fn<Api['groups']['get']>(),
      create: vi.fn<Api['groups']['create']>(async (input) => group({ id: 'grp_new', conversationId: 'group:grp_new', name: input.name, updatedAt: 30 })),
      invite: vi.fn<Api['groups']['invite']>(async (_id, user) => group({ members: [...group().members, member(user, 'invited')], updatedAt: 40 })),
      accept: vi.fn<Api['groups']['accept']>(async (id) => group({ id, conversationId: `group:${id}`, updatedAt: 50 })),
      decline: vi.fn<Api['groups']['decline']>(async () => {}),
      leave: vi.fn<Api['groups']['leave']>(),
      remove: vi.fn<Api['groups']['remove']>(),
      rename: vi.fn<Api['groups']['rename']>(),
      setAvatar: vi.fn<Api['groups']['setAvatar']>(),
      addAdmin: vi.fn<Api['groups']['addAdmin']>(),
      setMuted: vi.fn<Api['groups']['setMuted']>(),
      receiptCounts: vi.fn<Api['groups']['receiptCounts']>(async (messageId) => ({ messageId, groupId: 'grp_aaaaaaaaaaaaaaaaaaaa', members: 2, delivered: 1, read: 0 })),
    }
    Object.assign(base.api, { groups })
    return { ...base, groups }
  }

  const FEATURES = [
    defineFeature({ name: 'account', setup: setupAccount }),
    defineFeature({ name: 'conversations', dependsOn: ['account'], setup: setupConversations }),
    defineFeature({ name: 'presence', dependsOn: ['account'], setup: setupPresence }),
    defineFeature({
      name: 'groups',
      dependsOn: ['account', 'conversations', 'presence'],
      setup(ctx) {
        setupGroups(ctx)
        addGroupTexts(ctx)
      },
    }),
  ]

  async function install(): Promise<Installed> {
    installed = installOver(fake.parley, FEATURES)
    pinia = installed.pinia
    await installed.start()
    return installed
  }
  const actions = () => installed!.use(GroupsActionsKey)
  const ref = { id: 'group:grp_aaaaaaaaaaaaaaaaaaaa', kind: 'group' as const, peer: 'grp_aaaaaaaaaaaaaaaaaaaa' }

  beforeEach(() => {
    fakePage()
    fake = groupsApi()
  })

  afterEach(() => {
    installed?.stop()
    vi.unstubAllGlobals()
  })

  it('says "N members, M online" from the members and their presence, and only for groups', async () => {
    fake.api.presence.get.mockImplementation(async (user) => ({ user, state: user === 'bob' ? 'online' : 'offline', lastSeen: null }))
    const { extensions } = await install()
    const line = () => extensions.text('conversation.status', { conversation: ref, now: Date.now() })
    expect(line()).toBe('3 members, 1 online')
    // The members' presence was asked for; the answer for bob makes him count.
    await vi.waitFor(() => expect(line()).toBe('3 members, 2 online'))
    fake.emit('presence', { user: 'carol', state: 'away', lastSeen: null })
    expect(line()).toBe('3 members, 3 online')
    // A 1:1 chat keeps presence's line.
    expect(extensions.text('conversation.status', { conversation: { id: 'dm:bob', kind: 'dm', peer: 'bob' }, now: 0 })).toBe('online')
  })

  it('keeps the list by events: a new invite, a removed group, a renamed one', async () => {
    await install()
    const store = useGroupsStore(pinia)
    fake.emit('group', group({ id: 'grp_inv', conversationId: 'group:grp_inv', membership: 'invited', invitedBy: 'bob', updatedAt: 12 }))
    expect(store.invites.map((g) => g.id)).toEqual(['grp_inv'])
    await actions().accept('grp_inv')
    expect(fake.groups.accept).toHaveBeenCalledWith('grp_inv')
    expect(store.invites).toEqual([])
    // Accepting opens the group's conversation.
    expect(useConversationsStore(pinia).selectedId).toBe('group:grp_inv')

    fake.emit('groupRemoved', { id: 'grp_inv' })
    expect(store.byId.grp_inv).toBeUndefined()
    fake.emit('group', group({ name: 'Climbers', updatedAt: 99 }))
    expect(store.byId.grp_aaaaaaaaaaaaaaaaaaaa?.name).toBe('Climbers')
  })

  it('creates a group, opens it, and invites several people one by one', async () => {
    await install()
    await actions().create({ name: 'Tea', members: ['bob'] })
    expect(fake.groups.create).toHaveBeenCalledWith({ name: 'Tea', members: ['bob'] })
    expect(useConversationsStore(pinia).selectedId).toBe('group:grp_new')
    await actions().invite('grp_aaaaaaaaaaaaaaaaaaaa', ['dave', 'erin'])
    expect(fake.groups.invite.mock.calls).toEqual([
      ['grp_aaaaaaaaaaaaaaaaaaaa', 'dave'],
      ['grp_aaaaaaaaaaaaaaaaaaaa', 'erin'],
    ])
  })

  it('highlights a message that mentions me, in groups only', async () => {
    fake.api.account.getState.mockResolvedValue({ ...(await fake.api.account.getState()), user: 'bob' })
    const { extensions } = await install()
    const highlight = (m: ChatMessage) => extensions.text('message.highlight', { message: m })
    expect(highlight(message({ sender: 'alice', text: 'over to you @bob' }))).toBe('Mentions you')
    expect(highlight(message({ sender: 'alice', text: 'over to you @bobby' }))).toBeNull()
    expect(highlight(message({ conversationId: 'dm:alice', sender: 'alice', text: '@bob' }))).toBeNull()
  })

  it('adds receipt counts to my group message once known, and keeps them current from events', async () => {
    const { extensions } = await install()
    const mine = message({ id: 'm9', sender: 'alice', direction: 'out', status: 'delivered' })
    const details = () => extensions.text('message.details', { message: mine })
    expect(details()).toBeNull()
    await vi.waitFor(() => expect(details()).toBe('Delivered to 1 of 2, read by 0'))
    details()
    expect(fake.groups.receiptCounts).toHaveBeenCalledTimes(1)
    fake.emit('groupReceipts', { messageId: 'm9', groupId: 'grp_aaaaaaaaaaaaaaaaaaaa', members: 2, delivered: 2, read: 2 })
    expect(details()).toBe('Delivered to 2 of 2, read by 2')
    expect(extensions.text('message.details', { message: message({ id: 'm10', direction: 'out', status: 'pending' }) })).toBeNull()
  })

  it('marks a muted group and shows its photo, only a safe image', async () => {
    fake.groups.list.mockResolvedValue([group({ muted: true, avatar: 'data:image/jpeg;base64,AAAA' }), group({ id: 'grp_b', conversationId: 'group:grp_b', avatar: 'javascript:alert(1)' })])
    const { extensions } = await install()
    expect(extensions.text('conversation.muted', { conversation: ref })).toBe('Muted')
    expect(extensions.text('conversation.image', { conversation: ref })).toBe('data:image/jpeg;base64,AAAA')
    const other = { id: 'group:grp_b', kind: 'group' as const, peer: 'grp_b' }
    expect(extensions.text('conversation.muted', { conversation: other })).toBeNull()
    expect(extensions.text('conversation.image', { conversation: other })).toBeNull()
    fake.groups.setAvatar.mockResolvedValue(group({ muted: true, avatar: null, updatedAt: 60 }))
    await actions().setAvatar(ref.peer, null)
    expect(fake.groups.setAvatar).toHaveBeenCalledWith(ref.peer, null)
    expect(extensions.text('conversation.image', { conversation: ref })).toBeNull()
  })

  it('keeps a mention as news until its conversation is read, however the events interleave', async () => {
    await install()
    const store = useGroupsStore(pinia)
    const conversations = useConversationsStore(pinia)
    const summary = { id: ref.id, kind: 'group' as const, peer: ref.peer, title: 'Hikers', folder: 'inbox' as const, lastMessage: null, unread: 0, updatedAt: 20 }
    fake.emit('conversation', summary)
    // The mention may come before the conversation's new count.
    const mention = { groupId: ref.peer, conversationId: ref.id, messageId: 'm5', from: 'bob', text: '@alice hi' }
    fake.emit('groupMention', mention)
    fake.emit('groupMention', mention)
    await Promise.resolve()
    expect(store.mentioned[ref.id]).toEqual(['m5'])
    fake.emit('conversation', { ...summary, unread: 1, updatedAt: 21 })
    await Promise.resolve()
    expect(store.mentioned[ref.id]).toEqual(['m5'])
    // Read on another device: the count drops to 0.
    fake.emit('conversation', { ...summary, unread: 0, updatedAt: 22 })
    await vi.waitFor(() => expect(store.mentioned[ref.id]).toBeUndefined())

    // Opened here.
    fake.emit('groupMention', { ...mention, messageId: 'm6' })
    expect(store.mentioned[ref.id]).toEqual(['m6'])
    installed!.use(ConversationsActionsKey).select(ref.id)
    await vi.waitFor(() => expect(store.mentioned[ref.id]).toBeUndefined())
    // While it is open and seen, a mention is no news.
    fake.emit('groupMention', { ...mention, messageId: 'm7' })
    expect(store.mentioned[ref.id]).toBeUndefined()
    expect(conversations.selectedId).toBe(ref.id)
  })

  it('completes @mentions with the other members, not me and not invitees', async () => {
    fake.groups.list.mockResolvedValue([group({ members: [member('alice', 'member', true), member('bob'), member('bonnie', 'invited'), member('carol')] })])
    const { extensions } = await install()
    const [suggest] = extensions.list('composer.suggest')
    expect(suggest!(ref.id, 'hi @')?.items.map((i) => i.key)).toEqual(['bob', 'carol'])
    expect(suggest!(ref.id, 'hi @bo')).toEqual({ start: 3, items: [{ key: 'bob', label: 'bob', hint: '@bob', insert: '@bob ' }] })
    expect(suggest!(ref.id, 'hi @zed')).toBeNull()
    expect(suggest!('dm:bob', 'hi @')).toBeNull()
  })
})
