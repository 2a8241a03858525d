/**
 * Open rooms (seed 004): "Join a room" (a topic, a filter, a link or a code, with a
 * QoS) and "Create a random room" to share; a room chat shows each message's sender,
 * its topic under a wildcard filter and a "retained" mark; the header says the filter
 * and QoS, and offers its link and Leave.
 */
import { defineFeature, type FeatureContext } from '../feature'
import JoinRoomButton from './JoinRoomButton.vue'
import JoinRoomDialog from './JoinRoomDialog.vue'
import RoomActions from './RoomActions.vue'
import RoomMeta from './RoomMeta.vue'
import RoomSender from './RoomSender.vue'
import { setupRooms } from './io'
import { addRoomTexts } from './texts'

function setup(ctx: FeatureContext): void {
  setupRooms(ctx)
  addRoomTexts(ctx)
  ctx.extensions.add('sidebar.actions', JoinRoomButton)
  ctx.extensions.add('app.overlay', JoinRoomDialog)
  ctx.extensions.add('conversation.actions', RoomActions)
  ctx.extensions.add('message.header', RoomSender)
  ctx.extensions.add('message.meta', RoomMeta)
}

export const rooms = defineFeature({ name: 'rooms', dependsOn: ['account', 'conversations'], setup })

export { useRoomsStore } from './store'
export { useRoomsActions, RoomsActionsKey, type RoomsActions } from './io'
