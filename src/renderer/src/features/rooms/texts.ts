/** What rooms tell the shared screens in words: the chat header's status line, and why a filter has no composer. */
import type { Room } from '../../../../shared/contract'
import { isWildcard } from '../../../../shared/protocol/rooms'
import type { FeatureContext } from '../feature'
import { useRoomsStore } from './store'

export function roomStatus(room: Room | undefined, filter: string): string {
  if (!room) return `Not joined: new messages on ${filter} are not received`
  return `${room.wildcard ? 'Topic filter' : 'Open room'} ${room.filter} · QoS ${room.qos}${room.wildcard ? ' · read only' : ''}`
}

export function addRoomTexts(ctx: FeatureContext): void {
  const store = useRoomsStore(ctx.pinia)
  ctx.extensions.add('conversation.status', {
    priority: 10,
    text: ({ conversation }) => (conversation.kind === 'room' ? roomStatus(store.byConversation[conversation.id], conversation.peer) : null),
  })
  // A filter (sensors/#) names many topics and no one to post to.
  ctx.extensions.add('composer.readOnly', {
    priority: 10,
    text: ({ conversation }) => (conversation.kind === 'room' && isWildcard(conversation.peer) ? readOnlyText(conversation.peer) : null),
  })
}

export function readOnlyText(filter: string): string {
  return `${filter} is a topic filter: it can be read, not written to. To post, join one of its topics (without + or #).`
}
