/** The rooms feature's I/O: the rooms joined kept current by events, joining, creating and leaving, and where each room message came from. */
import { inject, type InjectionKey } from 'vue'
import type { Room } from '../../../../shared/contract'
import type { RoomQos } from '../../../../shared/protocol/rooms'
import { warn } from '../../ui/errors'
import { AccountActionsKey } from '../account'
import { ConversationsActionsKey } from '../conversations'
import type { FeatureContext } from '../feature'
import { useRoomsStore } from './store'

export interface RoomsActions {
  /** Joins (a topic, a filter, a parley://room link or a code) and opens the room. */
  join(room: string, qos: RoomQos): Promise<Room>
  /** Creates a room on a random topic, opens it and keeps it to share. */
  create(qos: RoomQos): Promise<Room>
  leave(filter: string): Promise<void>
  /** A room message is on screen: ask once where it came from (events bring new ones). */
  watchInfo(messageId: string): void
}

export const RoomsActionsKey: InjectionKey<RoomsActions> = Symbol('parley-rooms')

export function useRoomsActions(): RoomsActions {
  const actions = inject(RoomsActionsKey)
  if (!actions) throw new Error('The rooms feature is not installed.')
  return actions
}

export function setupRooms(ctx: FeatureContext): void {
  const { api } = ctx
  const store = useRoomsStore(ctx.pinia)
  const account = ctx.inject(AccountActionsKey)
  const conversations = ctx.inject(ConversationsActionsKey)
  const asked = new Set<string>()
  let batch: string[] = []

  const load = async (): Promise<void> => store.replaceAll(await api.rooms.list())
  ctx.onStop(account.onSignedIn(() => load().catch(warn('reading the rooms'))))
  ctx.onStop(account.onReconnected(() => void load().catch(warn('reloading the rooms'))))
  ctx.onStop(api.on('room', (r) => store.set(r)))
  ctx.onStop(api.on('roomLeft', ({ filter }) => store.drop(filter)))
  ctx.onStop(api.on('roomMessage', ({ id, topic, retained }) => store.setInfo([{ id, topic, retained }])))

  /** The ids asked for in one tick go in one call. */
  const flush = (): void => {
    const ids = batch
    batch = []
    api.rooms
      .info(ids)
      .then((items) => store.setInfo(items))
      .catch(warn('reading where room messages came from'))
  }

  ctx.provide(RoomsActionsKey, {
    async join(room, qos) {
      const r = await api.rooms.join({ room, qos })
      store.set(r)
      conversations.select(r.conversationId)
      return r
    },
    async create(qos) {
      const r = await api.rooms.create(qos)
      store.set(r)
      store.setCreated(r)
      conversations.select(r.conversationId)
      return r
    },
    async leave(filter) {
      await api.rooms.leave(filter)
      store.drop(filter)
    },
    watchInfo(messageId) {
      if (asked.has(messageId) || store.info[messageId]) return
      asked.add(messageId)
      if (batch.length === 0) queueMicrotask(flush)
      batch.push(messageId)
    },
  })
}
