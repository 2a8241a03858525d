/**
 * The features wired together over a fake API, the way the app installs them. The
 * features' index.ts files also export their Vue components, which these Node tests
 * cannot load, so the index modules are replaced by their non-component parts.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createPinia, type Pinia } from 'pinia'
import type { ChatMessage, ConversationSummary, Presence } from '../../../src/shared/contract'
import { dependencyOrder, installFeatures } from '../../../src/renderer/src/app/install'
import { defineFeature, type Feature } from '../../../src/renderer/src/features/feature'
import { setupAccount } from '../../../src/renderer/src/features/account/io'
import { setupConversations } from '../../../src/renderer/src/features/conversations/io'
import { MessagesActionsKey, setupMessages } from '../../../src/renderer/src/features/messages/io'
import { useMessagesStore } from '../../../src/renderer/src/features/messages/store'
import { PresenceActionsKey, setupPresence } from '../../../src/renderer/src/features/presence/io'
import { usePresenceStore } from '../../../src/renderer/src/features/presence/store'
import { setupTyping } from '../../../src/renderer/src/features/typing/io'
import type { Extensions } from '../../../src/renderer/src/ui/extensions'
import { fakeApi, fakePage } from './fake-api'
import { fakeApp, installOver, type Installed } from './install-features'

vi.mock('../../../src/renderer/src/features/account/index.ts', async () => ({
  ...(await import('../../../src/renderer/src/features/account/io')),
  ...(await import('../../../src/renderer/src/features/account/store')),
}))
vi.mock('../../../src/renderer/src/features/conversations/index.ts', async () => ({
  ...(await import('../../../src/renderer/src/features/conversations/io')),
  ...(await import('../../../src/renderer/src/features/conversations/store')),
}))

const FEATURES = [
  defineFeature({ name: 'account', setup: setupAccount }),
  defineFeature({ name: 'conversations', dependsOn: ['account'], setup: setupConversations }),
  defineFeature({ name: 'messages', dependsOn: ['account', 'conversations'], setup: setupMessages }),
  defineFeature({ name: 'presence', dependsOn: ['account'], setup: setupPresence }),
  defineFeature({ name: 'typing', dependsOn: ['account'], setup: setupTyping }),
]

const conversation: ConversationSummary = {
  id: 'dm:bob',
  kind: 'dm',
  peer: 'bob',
  title: 'bob',
  folder: 'inbox',
  lastMessage: null,
  unread: 0,
  updatedAt: 1,
}

const message = (over: Partial<ChatMessage> = {}): ChatMessage => ({
  id: 'm1',
  conversationId: 'dm:bob',
  sender: 'alice',
  direction: 'out',
  ts: 10,
  text: 'hi',
  status: 'failed',
  error: 'The broker refused it.',
  ...over,
})

describe('renderer features over a fake API', () => {
  let fake: ReturnType<typeof fakeApi>
  let pinia: Pinia
  let extensions: Extensions
  let use: Installed['use']
  let stop: () => void

  beforeEach(async () => {
    fakePage()
    fake = fakeApi()
    const installed = installOver(fake.parley, FEATURES)
    pinia = installed.pinia
    extensions = installed.extensions
    use = installed.use
    stop = installed.stop
    await installed.start()
  })

  afterEach(() => {
    stop()
    vi.unstubAllGlobals()
    vi.useRealTimers()
  })

  const messagesActions = () => use(MessagesActionsKey)
  const presenceActions = () => use(PresenceActionsKey)

  it('loads a thread when it is shown, drops messages on messageRemoved, retries and deletes failed ones', async () => {
    fake.api.messages.page.mockResolvedValue({ messages: [message(), message({ id: 'm2', ts: 20, status: 'sent', error: null })], hasMore: false, hasNewer: false, firstUnread: null })
    messagesActions().open('dm:bob')
    await vi.waitFor(() => expect(useMessagesStore(pinia).thread('dm:bob').loaded).toBe(true))
    const ids = () => useMessagesStore(pinia).thread('dm:bob').messages.map((m) => m.id)
    expect(ids()).toEqual(['m1', 'm2'])

    fake.emit('messageRemoved', { id: 'm2', conversationId: 'dm:bob' })
    expect(ids()).toEqual(['m1'])

    fake.api.messages.retry.mockResolvedValue(message({ status: 'pending', error: null }))
    await messagesActions().retry(message())
    expect(fake.api.messages.retry).toHaveBeenCalledWith('m1')
    expect(useMessagesStore(pinia).thread('dm:bob').messages[0]!.status).toBe('pending')

    await messagesActions().remove(message())
    expect(fake.api.messages.remove).toHaveBeenCalledWith('m1')
    expect(ids()).toEqual([])
  })

  it('shows "typing…" in the header and row until their message arrives, and sends notices only for text', () => {
    const status = () => extensions.text('conversation.status', { conversation, now: Date.now() })
    const preview = () => extensions.text('conversation.preview', { conversation })
    expect(preview()).toBeNull()
    fake.emit('typing', { conversationId: 'dm:bob', user: 'bob', typing: true })
    expect(status()).toBe('typing…')
    expect(preview()).toBe('typing…')
    fake.emit('message', message({ sender: 'bob', direction: 'in', status: 'received', error: null }))
    expect(status()).not.toBe('typing…')
    expect(preview()).toBeNull()

    // My own notices (another device of mine) are not shown.
    fake.emit('typing', { conversationId: 'dm:bob', user: 'alice', typing: true })
    expect(preview()).toBeNull()

    for (const listener of extensions.list('composer.input')) {
      listener('dm:bob', '   ')
      listener('dm:bob', 'h')
    }
    expect(fake.api.typing.typing).toHaveBeenCalledTimes(1)
    expect(fake.api.typing.typing).toHaveBeenCalledWith('dm:bob')
  })

  it('typing outranks presence in the header; presence comes from get() and then from events', async () => {
    const status = () => extensions.text('conversation.status', { conversation, now: Date.now() })
    fake.api.presence.get.mockResolvedValue({ user: 'bob', state: 'online', lastSeen: Date.now() })
    presenceActions().watch('bob')
    presenceActions().watch('bob')
    expect(fake.api.presence.get).toHaveBeenCalledTimes(1)
    await vi.waitFor(() => expect(status()).toBe('online'))
    fake.emit('presence', { user: 'bob', state: 'dnd', lastSeen: null })
    expect(status()).toBe('do not disturb')
    fake.emit('typing', { conversationId: 'dm:bob', user: 'bob', typing: true })
    expect(status()).toBe('typing…')
    fake.emit('presence', { user: 'bob', state: 'offline', lastSeen: Date.now() - 5 * 60_000 })
    fake.emit('typing', { conversationId: 'dm:bob', user: 'bob', typing: false })
    expect(status()).toBe('last seen 5 min ago')
  })

  it('an answer to get() older than an event does not overwrite it', async () => {
    let answer!: (p: Presence) => void
    fake.api.presence.get.mockReturnValue(new Promise<Presence>((resolve) => (answer = resolve)))
    presenceActions().watch('carol')
    fake.emit('presence', { user: 'carol', state: 'away', lastSeen: 1 })
    answer({ user: 'carol', state: 'online', lastSeen: 2 })
    await new Promise((r) => setTimeout(r, 0))
    expect(usePresenceStore(pinia).byUser.carol?.state).toBe('away')
  })

  it('reads my presence once signed in and unsubscribes everything on stop', async () => {
    await vi.waitFor(() => expect(usePresenceStore(pinia).mine?.mode).toBe('auto'))
    expect(fake.listenerCount('message')).toBeGreaterThan(0)
    stop()
    for (const event of ['connection', 'account', 'conversation', 'message', 'messageRemoved', 'presence', 'typing']) {
      expect(fake.listenerCount(event), event).toBe(0)
    }
  })
})

describe('feature installation', () => {
  const f = (name: string, dependsOn: string[] = [], setup: Feature['setup'] = () => {}): Feature => ({ name, dependsOn, setup })

  it('orders features after their dependencies and refuses missing or circular ones', () => {
    expect(dependencyOrder([f('b', ['a']), f('a')]).map((x) => x.name)).toEqual(['a', 'b'])
    expect(() => dependencyOrder([f('b', ['a'])])).toThrow(/depends on "a", which is not installed/)
    expect(() => dependencyOrder([f('a', ['b']), f('b', ['a'])])).toThrow(/circle: a → b → a/)
    expect(() => dependencyOrder([f('a'), f('a')])).toThrow(/Two renderer features/)
  })

  it('lets a feature inject only what a declared dependency provided', () => {
    const Key = Symbol('thing') as import('vue').InjectionKey<number>
    const { parley } = fakeApi()
    const { app } = fakeApp()
    const provider = f('provider', [], (ctx) => ctx.provide(Key, 42))
    let got: number | null = null
    installFeatures(app, parley, createPinia(), [provider, f('user', ['provider'], (ctx) => void (got = ctx.inject(Key)))])
    expect(got).toBe(42)
    expect(() => installFeatures(app, parley, createPinia(), [provider, f('sneaky', [], (ctx) => void ctx.inject(Key))])).toThrow(
      /"sneaky" uses "provider" without declaring it/,
    )
  })
})
