/**
 * The people features (contacts, message requests, blocking, phone) wired together
 * over a fake API, the way the app installs them: what their stores hold after the
 * engine's answers and events, and how they cope with a part of the engine that
 * rejects. Index modules export Vue components, which these Node tests cannot load,
 * so they are replaced by their non-component parts (as in features.test.ts).
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { Pinia } from 'pinia'
import type { BlockedUser, Contact, ConversationSummary, ParleyApi } from '../../../src/shared/contract'
import { ParleyError } from '../../../src/shared/rpc'
import { defineFeature } from '../../../src/renderer/src/features/feature'
import { setupAccount } from '../../../src/renderer/src/features/account/io'
import { setupConversations } from '../../../src/renderer/src/features/conversations/io'
import { useConversationsStore } from '../../../src/renderer/src/features/conversations/store'
import { BlockingActionsKey, setupBlocking } from '../../../src/renderer/src/features/blocking/io'
import { useBlockingStore } from '../../../src/renderer/src/features/blocking/store'
import { ContactsActionsKey, setupContacts } from '../../../src/renderer/src/features/contacts/io'
import { useContactsStore } from '../../../src/renderer/src/features/contacts/store'
import { MessageRequestsActionsKey, setupMessageRequests } from '../../../src/renderer/src/features/message-requests/io'
import { PhoneActionsKey, setupPhone } from '../../../src/renderer/src/features/phone/io'
import { usePhoneStore } from '../../../src/renderer/src/features/phone/store'
import { CONFIGURED, fakeApi, fakePage } from './fake-api'
import { installOver, type Installed } from './install-features'

vi.mock('../../../src/renderer/src/features/account/index.ts', async () => ({
  ...(await import('../../../src/renderer/src/features/account/io')),
  ...(await import('../../../src/renderer/src/features/account/store')),
}))
vi.mock('../../../src/renderer/src/features/conversations/index.ts', async () => ({
  ...(await import('../../../src/renderer/src/features/conversations/io')),
  ...(await import('../../../src/renderer/src/features/conversations/store')),
}))
vi.mock('../../../src/renderer/src/features/blocking/index.ts', async () => ({
  ...(await import('../../../src/renderer/src/features/blocking/io')),
  ...(await import('../../../src/renderer/src/features/blocking/store')),
}))
vi.mock('../../../src/renderer/src/features/contacts/index.ts', async () => ({
  ...(await import('../../../src/renderer/src/features/contacts/io')),
  ...(await import('../../../src/renderer/src/features/contacts/store')),
}))

const FEATURES = [
  defineFeature({ name: 'account', setup: setupAccount }),
  defineFeature({ name: 'conversations', dependsOn: ['account'], setup: setupConversations }),
  defineFeature({ name: 'blocking', dependsOn: ['account', 'conversations'], setup: setupBlocking }),
  defineFeature({ name: 'contacts', dependsOn: ['account', 'conversations', 'blocking'], setup: setupContacts }),
  defineFeature({ name: 'message-requests', dependsOn: ['conversations', 'blocking'], setup: setupMessageRequests }),
  defineFeature({ name: 'phone', dependsOn: ['account', 'contacts'], setup: setupPhone }),
]

const NOT_BUILT = () => Promise.reject(new ParleyError('This part of Parley is not built yet.', 'failed'))

const contact = (user: string, state: Contact['state'], since = 1): Contact => ({
  user,
  state,
  note: null,
  since,
  expiresAt: state === 'contact' ? null : since + 1000,
})

const request = (peer: string): ConversationSummary => ({
  id: `dm:${peer}`,
  kind: 'dm',
  peer,
  title: peer,
  folder: 'requests',
  lastMessage: null,
  unread: 1,
  updatedAt: 5,
})

/** The fake API of fake-api.ts plus the people services, each a mock. */
function peopleApi() {
  const fake = fakeApi()
  type Api = ParleyApi
  const people = {
    contacts: {
      list: vi.fn<Api['contacts']['list']>(async () => []),
      request: vi.fn<Api['contacts']['request']>(async (input) => contact(input.user, 'outgoing', 10)),
      accept: vi.fn<Api['contacts']['accept']>(async (user) => contact(user, 'contact', 10)),
      decline: vi.fn<Api['contacts']['decline']>(async () => {}),
      cancel: vi.fn<Api['contacts']['cancel']>(async () => {}),
      remove: vi.fn<Api['contacts']['remove']>(async () => {}),
    },
    blocking: {
      list: vi.fn<Api['blocking']['list']>(async () => []),
      block: vi.fn<Api['blocking']['block']>(async (user, o) => ({ user, since: 10, notified: o?.notify ?? false })),
      unblock: vi.fn<Api['blocking']['unblock']>(async () => {}),
    },
    messageRequests: {
      list: vi.fn<Api['messageRequests']['list']>(async () => []),
      accept: vi.fn<Api['messageRequests']['accept']>(async (id) => ({ ...request(id.slice(3)), folder: 'inbox' })),
      remove: vi.fn<Api['messageRequests']['remove']>(async () => {}),
      settings: vi.fn<Api['messageRequests']['settings']>(async () => ({ acceptFromAnyone: false })),
      setAcceptFromAnyone: vi.fn<Api['messageRequests']['setAcceptFromAnyone']>(),
    },
    profiles: { get: vi.fn<Api['profiles']['get']>(NOT_BUILT) },
    phone: {
      mine: vi.fn<Api['phone']['mine']>(async () => ({ number: null, id: null, published: false })),
      register: vi.fn<Api['phone']['register']>(),
      unregister: vi.fn<Api['phone']['unregister']>(),
      discover: vi.fn<Api['phone']['discover']>(async () => ({ matches: [], invalid: 0 })),
    },
  }
  Object.assign(fake.api, people)
  return { ...fake, people }
}

const file = (name: string, text: string) => ({ name, size: text.length, text: async () => text })

describe('people features over a fake API', () => {
  let fake: ReturnType<typeof peopleApi>
  let pinia: Pinia
  let installed: Installed | undefined

  function install(): Installed {
    installed = installOver(fake.parley, FEATURES)
    pinia = installed.pinia
    return installed
  }
  const contacts = () => installed!.use(ContactsActionsKey)
  const blocking = () => installed!.use(BlockingActionsKey)
  const requests = () => installed!.use(MessageRequestsActionsKey)
  const phone = () => installed!.use(PhoneActionsKey)

  beforeEach(() => {
    fakePage()
    fake = peopleApi()
  })

  afterEach(() => {
    installed?.stop()
    vi.unstubAllGlobals()
  })

  it('starts even while the contacts and blocking services are not built, and says so where they are shown', async () => {
    fake.people.contacts.list.mockImplementation(NOT_BUILT)
    fake.people.blocking.list.mockImplementation(NOT_BUILT)
    fake.people.contacts.request.mockImplementation(NOT_BUILT)
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    await install().start()
    expect(useContactsStore(pinia).loadError).toBe('This part of Parley is not built yet.')
    expect(useContactsStore(pinia).loaded).toBe(false)
    expect(useBlockingStore(pinia).loadError).toBe('This part of Parley is not built yet.')
    await expect(contacts().request('bob')).rejects.toThrow('not built yet')

    // "Try again" once the engine has it.
    fake.people.contacts.list.mockResolvedValue([contact('bob', 'contact')])
    await contacts().reload()
    expect(useContactsStore(pinia).loadError).toBeNull()
    expect(useContactsStore(pinia).contacts.map((c) => c.user)).toEqual(['bob'])
    warn.mockRestore()
  })

  it('keeps contacts current from events and answers, and reads again after a reconnect', async () => {
    fake.people.contacts.list.mockResolvedValue([contact('dave', 'incoming'), contact('bob', 'contact')])
    await install().start()
    const store = useContactsStore(pinia)
    expect(store.incoming.map((c) => c.user)).toEqual(['dave'])

    fake.emit('contacts', { changed: [contact('erin', 'incoming', 2)], removed: [] })
    expect(store.incoming.map((c) => c.user)).toEqual(['erin', 'dave'])

    await contacts().accept('dave')
    await contacts().decline('erin')
    expect(fake.people.contacts.decline).toHaveBeenCalledWith('erin')
    expect(store.incoming).toEqual([])
    expect(store.contacts.map((c) => c.user)).toEqual(['bob', 'dave'])

    await contacts().request('gus', '  we met at the meetup  ')
    expect(fake.people.contacts.request).toHaveBeenLastCalledWith({ user: 'gus', note: 'we met at the meetup' })
    await contacts().request('hal', '   ')
    expect(fake.people.contacts.request).toHaveBeenLastCalledWith({ user: 'hal' })
    expect(store.outgoing.map((c) => c.user).sort()).toEqual(['gus', 'hal'])

    fake.people.contacts.list.mockResolvedValue([contact('bob', 'contact')])
    fake.emit('connection', { ...CONFIGURED.connection, state: 'reconnecting' })
    fake.emit('connection', CONFIGURED.connection)
    await vi.waitFor(() => expect(store.contacts.map((c) => c.user)).toEqual(['bob']))
    expect(store.outgoing).toEqual([])
  })

  it('a profile that cannot be read is null, not an error', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    await install().start()
    await expect(contacts().profileOf('bob')).resolves.toBeNull()
    fake.people.profiles.get.mockResolvedValue({ user: 'bob', name: 'Bob', status: 'hi', avatar: null, email: null, updatedAt: 1 })
    await expect(contacts().profileOf('bob')).resolves.toMatchObject({ status: 'hi' })
    warn.mockRestore()
  })

  it('blocks only after the dialog is answered, silently or telling them; Cancel blocks nobody', async () => {
    await install().start()
    const store = useBlockingStore(pinia)

    const cancelled = blocking().askToBlock('mallory')
    expect(store.asking).toBe('mallory')
    blocking().dismiss()
    await expect(cancelled).resolves.toBe(false)
    expect(store.asking).toBeNull()
    expect(fake.people.blocking.block).not.toHaveBeenCalled()

    const asked = blocking().askToBlock('mallory')
    await blocking().confirm(true)
    await expect(asked).resolves.toBe(true)
    expect(fake.people.blocking.block).toHaveBeenCalledWith('mallory', { notify: true })
    expect(store.isBlocked('mallory')).toBe(true)

    // A refused block leaves the dialog open (the person sees why and may try again).
    fake.people.blocking.block.mockRejectedValueOnce(new ParleyError('Parley is offline.', 'failed'))
    void blocking().askToBlock('trent')
    await expect(blocking().confirm(false)).rejects.toThrow('offline')
    expect(store.asking).toBe('trent')

    await blocking().unblock('mallory')
    expect(store.isBlocked('mallory')).toBe(false)
  })

  it('follows blocked events from my other devices', async () => {
    vi.useFakeTimers()
    try {
      fake.people.blocking.list.mockResolvedValue([])
      await install().start()
      const store = useBlockingStore(pinia)
      fake.people.blocking.list.mockResolvedValue([{ user: 'trent', since: 3, notified: true } satisfies BlockedUser])
      fake.emit('blocked', { user: 'trent', blocked: true })
      expect(store.isBlocked('trent')).toBe(true)
      await vi.runAllTimersAsync()
      expect(store.byUser.trent).toEqual({ user: 'trent', since: 3, notified: true })
      fake.emit('blocked', { user: 'trent', blocked: false })
      expect(store.isBlocked('trent')).toBe(false)
    } finally {
      vi.useRealTimers()
    }
  })

  it('message requests: accept moves one into the list; block-and-delete asks first, then deletes', async () => {
    fake.api.conversations.list.mockResolvedValue([request('mallory'), request('oscar')])
    await install().start()
    const conversations = useConversationsStore(pinia)
    expect(conversations.requests.map((c) => c.peer).sort()).toEqual(['mallory', 'oscar'])
    expect(conversations.list).toEqual([])

    await requests().accept('dm:oscar')
    expect(conversations.list.map((c) => c.peer)).toEqual(['oscar'])

    // Selecting a request works although it is not in the list.
    conversations.select('dm:mallory')
    expect(conversations.selected?.peer).toBe('mallory')

    const answer = requests().blockAndRemove('dm:mallory', 'mallory')
    expect(useBlockingStore(pinia).asking).toBe('mallory')
    await blocking().confirm(false)
    await expect(answer).resolves.toBe(true)
    expect(fake.people.messageRequests.remove).toHaveBeenCalledWith('dm:mallory')
    expect(conversations.requests).toEqual([])
    expect(conversations.selected).toBeNull()

    // Deleted on another device of mine.
    fake.emit('conversation', request('quinn'))
    fake.emit('conversationRemoved', { conversationId: 'dm:quinn' })
    expect(conversations.requests).toEqual([])

    // Thinking better of it deletes nothing.
    fake.emit('conversation', request('zed'))
    const kept = requests().blockAndRemove('dm:zed', 'zed')
    blocking().dismiss()
    await expect(kept).resolves.toBe(false)
    expect(conversations.requests.map((c) => c.peer)).toEqual(['zed'])
  })

  it('phone: looks a file up, again in another region, and drops an answer to a search the person left', async () => {
    await install().start()
    const store = usePhoneStore(pinia)
    await phone().setCountry('PL')
    fake.people.phone.discover.mockResolvedValue({ matches: [{ number: '+48555000111', name: 'Bob', user: 'bob' }], invalid: 2 })
    await phone().importFile(file('contacts.vcf', 'BEGIN:VCARD\nTEL:555000111\nEND:VCARD'))
    expect(fake.people.phone.discover).toHaveBeenLastCalledWith({ text: 'BEGIN:VCARD\nTEL:555000111\nEND:VCARD', country: 'PL' })
    expect(store.importStatus).toBe('done')
    expect(store.result?.invalid).toBe(2)

    await phone().setCountry(null)
    expect(fake.people.phone.discover).toHaveBeenLastCalledWith({ text: 'BEGIN:VCARD\nTEL:555000111\nEND:VCARD' })

    // A wrong file is refused before anything is sent.
    const calls = fake.people.phone.discover.mock.calls.length
    await phone().importFile(file('holiday.jpg', 'xx'))
    expect(store.importStatus).toBe('failed')
    expect(store.importError).toMatch(/CSV file or a vCard/)
    expect(fake.people.phone.discover.mock.calls.length).toBe(calls)

    // Closed while searching: the late answer does not reopen or fill anything.
    let answer!: (r: { matches: []; invalid: number }) => void
    fake.people.phone.discover.mockReturnValueOnce(new Promise((r) => (answer = r)))
    const running = phone().importFile(file('contacts.csv', 'name,phone\nA,+48555000222'))
    await vi.waitFor(() => expect(store.importStatus).toBe('searching'))
    phone().closeImport()
    answer({ matches: [], invalid: 9 })
    await running
    expect(store.importOpen).toBe(false)
    expect(store.result).toBeNull()

    // The engine's refusal is shown as it is.
    fake.people.phone.discover.mockRejectedValueOnce(new ParleyError('That file has more than 5000 numbers.', 'invalid-argument'))
    await phone().importFile(file('huge.csv', '1'))
    expect(store.importError).toBe('Could not look the numbers up: That file has more than 5000 numbers.')
  })

  it('phone tools land in the contacts panel, and everything unsubscribes on stop', async () => {
    await install().start()
    const tool = { name: 'Tool' }
    const remove = contacts().addTool(tool)
    expect(contacts().tools).toHaveLength(1)
    remove()
    expect(contacts().tools).toHaveLength(0)
    installed!.stop()
    for (const event of ['contacts', 'blocked', 'conversation', 'conversationRemoved']) expect(fake.listenerCount(event), event).toBe(0)
  })
})
