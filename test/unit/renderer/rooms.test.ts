/**
 * The renderer's rooms feature over a fake API, installed as the app installs it:
 * the rooms read at sign-in and kept by events, joining opens the room, the header
 * line says filter and QoS (or that the room was left), and where room messages
 * came from is asked once per batch of bubbles (events bring it for new ones).
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { ParleyApi, Room } from '../../../src/shared/contract'
import { roomLink } from '../../../src/shared/protocol/rooms'
import { defineFeature } from '../../../src/renderer/src/features/feature'
import { setupAccount } from '../../../src/renderer/src/features/account/io'
import { setupConversations } from '../../../src/renderer/src/features/conversations/io'
import { useConversationsStore } from '../../../src/renderer/src/features/conversations/store'
import { RoomsActionsKey, setupRooms } from '../../../src/renderer/src/features/rooms/io'
import { useRoomsStore } from '../../../src/renderer/src/features/rooms/store'
import { addRoomTexts } from '../../../src/renderer/src/features/rooms/texts'
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

type Api = ParleyApi
const room = (filter: string, qos: 0 | 1 | 2 = 1): Room => ({
  filter,
  conversationId: `room:${filter}`,
  qos,
  wildcard: /[+#]/.test(filter),
  link: roomLink(filter, qos),
  code: null,
  joinedAt: 1,
})

const FEATURES = [
  defineFeature({ name: 'account', setup: setupAccount }),
  defineFeature({ name: 'conversations', dependsOn: ['account'], setup: setupConversations }),
  defineFeature({
    name: 'rooms',
    dependsOn: ['account', 'conversations'],
    setup(ctx) {
      setupRooms(ctx)
      addRoomTexts(ctx)
    },
  }),
]

describe('renderer: open rooms', () => {
  let fake: ReturnType<typeof fakeApi>
  let installed: Installed
  const rooms = {
    list: vi.fn<Api['rooms']['list']>(async () => [room('sensors/#', 2)]),
    join: vi.fn<Api['rooms']['join']>(async (input) => room(input.room, input.qos ?? 1)),
    create: vi.fn<Api['rooms']['create']>(),
    leave: vi.fn<Api['rooms']['leave']>(async () => {}),
    post: vi.fn<Api['rooms']['post']>(),
    info: vi.fn<Api['rooms']['info']>(async (ids) => ids.map((id) => ({ id, topic: `t/${id}`, retained: false }))),
  }

  beforeEach(async () => {
    fakePage()
    fake = fakeApi()
    Object.assign(fake.api, { rooms })
    installed = installOver(fake.parley, FEATURES)
    await installed.start()
  })
  afterEach(() => {
    installed.stop()
    vi.unstubAllGlobals()
    vi.clearAllMocks()
  })

  const status = (id: string, peer: string) => installed.extensions.text('conversation.status', { conversation: { id, kind: 'room', peer }, now: 0 })

  it('reads the rooms at sign-in, follows joins and leaves made elsewhere, and says filter and QoS in the header', async () => {
    const store = useRoomsStore(installed.pinia)
    await vi.waitFor(() => expect(store.all.map((r) => r.filter)).toEqual(['sensors/#']))
    expect(status('room:sensors/#', 'sensors/#')).toBe('Topic filter sensors/# · QoS 2 · read only')
    fake.emit('room', room('team/chat', 0))
    expect(status('room:team/chat', 'team/chat')).toBe('Open room team/chat · QoS 0')
    fake.emit('roomLeft', { filter: 'team/chat' })
    expect(status('room:team/chat', 'team/chat')).toBe('Not joined: new messages on team/chat are not received')
    expect(installed.extensions.text('conversation.status', { conversation: { id: 'dm:bob', kind: 'dm', peer: 'bob' }, now: 0 })).toBeNull()
  })

  it('a filter has no composer (nothing can be posted to it); a topic has one', () => {
    const readOnly = (peer: string) => installed.extensions.text('composer.readOnly', { conversation: { id: `room:${peer}`, kind: 'room', peer } })
    expect(readOnly('sensors/#')).toMatch(/^sensors\/# is a topic filter: it can be read, not written to/)
    expect(readOnly('sensors/+/temp')).toMatch(/topic filter/)
    expect(readOnly('team/chat')).toBeNull()
  })

  it('joining opens the room\'s conversation', async () => {
    await installed.use(RoomsActionsKey).join('team/chat', 2)
    expect(rooms.join).toHaveBeenCalledWith({ room: 'team/chat', qos: 2 })
    expect(useConversationsStore(installed.pinia).selectedId).toBe('room:team/chat')
    expect(useRoomsStore(installed.pinia).byFilter['team/chat']?.qos).toBe(2)
  })

  it('asks where messages came from once per batch, never twice, and not for those an event described', async () => {
    const store = useRoomsStore(installed.pinia)
    const actions = installed.use(RoomsActionsKey)
    fake.emit('roomMessage', { id: 'm0', topic: 'sensors/a', retained: true, message: {} as never })
    for (const id of ['m0', 'm1', 'm2', 'm1']) actions.watchInfo(id)
    await vi.waitFor(() => expect(store.info.m2).toBeDefined())
    expect(rooms.info).toHaveBeenCalledTimes(1)
    expect(rooms.info).toHaveBeenCalledWith(['m1', 'm2'])
    expect(store.info.m0).toEqual({ id: 'm0', topic: 'sensors/a', retained: true })
    actions.watchInfo('m2')
    await Promise.resolve()
    expect(rooms.info).toHaveBeenCalledTimes(1)
  })
})
