import { z } from 'zod'
import { MessageIdSchema } from '../protocol/envelope'
import { MAX_ROOM_FILTER_LENGTH, RoomQosSchema, type RoomQos } from '../protocol/rooms'
import { MessageTextSchema } from '../schemas'
import { defineContract } from './define'
import type { ChatMessage } from './messages'

/** An open room (seed 004): an MQTT topic or topic filter this account subscribes to. */
export interface Room {
  /** The topic or filter, e.g. `team/coding_issues`, `sensors/#`; also the conversation's title. */
  filter: string
  /** The conversation it shows as: `room:{filter}`. */
  conversationId: string
  /** The QoS of the subscription (seed 002: chosen per room). */
  qos: RoomQos
  /** A filter with + or #: it can be read, not posted to. */
  wildcard: boolean
  /** `parley://room?topic=…&qos=…`: how it is shared. */
  link: string
  /** The short code of a random room (ABCD-EFGH-JKMN), else null. */
  code: string | null
  joinedAt: number
}

/** Where a room message came from: the topic (under a wildcard filter they differ) and whether the broker kept it (retained). */
export interface RoomMessageInfo {
  id: string
  topic: string
  retained: boolean
}

/** A room message as it arrives: the stored message and where it came from. */
export interface RoomMessage extends RoomMessageInfo {
  message: ChatMessage
}

/** Joining takes what a person typed: a topic, a filter, a parley://room link or a short code. */
export const JoinRoomInputSchema = z.object({
  room: z.string().max(2048),
  qos: RoomQosSchema.default(1),
})
export type JoinRoomInput = z.input<typeof JoinRoomInputSchema>

export const PostRoomInputSchema = z.object({
  topic: z.string().max(MAX_ROOM_FILTER_LENGTH + 1),
  text: MessageTextSchema,
  qos: RoomQosSchema.default(1),
})
export type PostRoomInput = z.input<typeof PostRoomInputSchema>

export interface RoomsService {
  /** The rooms joined, oldest first. */
  list(): Promise<Room[]>
  /** Subscribes to a room (again with another QoS: resubscribes); refuses $ topics, Parley's own namespace and malformed filters. */
  join(input: JoinRoomInput): Promise<Room>
  /** Joins a new room on a random topic under parley/rooms/, to share by link or code. */
  create(qos?: RoomQos): Promise<Room>
  /** Unsubscribes; the conversation and its history stay. */
  leave(filter: string): Promise<void>
  /**
   * Publishes one post on a concrete topic at `qos` (seed 004's format) and stores it
   * in that room's conversation; resolves once the broker has it (QoS 1 and 2).
   * The chat's composer sends through messages.send instead (stored, QoS 1, re-sent after a restart).
   */
  post(input: PostRoomInput): Promise<ChatMessage>
  /** Topic and retained mark of room messages (those that are not room messages are left out). */
  info(ids: string[]): Promise<RoomMessageInfo[]>
}

export interface RoomsEvents {
  /** A room was joined or its QoS changed. */
  room: Room
  /** A room was left. */
  roomLeft: { filter: string }
  /** A room message was stored (after the generic `message` event). */
  roomMessage: RoomMessage
}

export const roomsContract = defineContract<RoomsService, RoomsEvents>()({
  methods: {
    list: z.tuple([]),
    join: z.tuple([JoinRoomInputSchema]),
    create: z.tuple([RoomQosSchema.optional()]),
    leave: z.tuple([z.string().max(MAX_ROOM_FILTER_LENGTH + 1)]),
    post: z.tuple([PostRoomInputSchema]),
    info: z.tuple([z.array(MessageIdSchema).max(500)]),
  },
  events: ['room', 'roomLeft', 'roomMessage'],
})
