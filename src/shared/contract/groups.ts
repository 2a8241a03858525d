import { z } from 'zod'
import { MessageIdSchema } from '../protocol/envelope'
import { GroupIdSchema } from '../protocol/group-id'
import { NameSchema, shownTextSchema } from '../protocol/names'
import { defineContract } from './define'
import { AvatarUploadSchema } from './profiles'

/** Most people in one group (members and invitees). */
export const MAX_GROUP_MEMBERS = 256

/** A group's display name: free text like a display name (spaces fine, nothing invisible). */
export const GroupNameSchema = shownTextSchema('A group name', 64)

/**
 * A person in a group's metadata: 'invited' until they accept (then 'member').
 * Admins may remove members, invite, rename, set the avatar and add admins.
 */
export interface GroupMember {
  user: string
  state: 'invited' | 'member'
  admin: boolean
}

/**
 * Where I stand: 'invited' (an invite waits for my answer), 'member', or 'left' /
 * 'removed' (the history stays readable, nothing new arrives).
 */
export type GroupMembership = 'invited' | 'member' | 'left' | 'removed'

export interface GroupSummary {
  /** `grp_` + 20 base32 characters: the topic level `R/{id}`. */
  id: string
  /** The group's conversation (`group:{id}`), for messages.page/send and conversations. */
  conversationId: string
  name: string
  /** A data URL (PNG, JPEG or WebP, ≤ 256 px, ≤ 64 KiB), or null. */
  avatar: string | null
  /** Members and invitees, admins first, then by user name. */
  members: GroupMember[]
  /** The metadata version shown (higher wins). */
  version: number
  membership: GroupMembership
  /** I am an admin of this group. */
  admin: boolean
  /** Who invited me (for an invite), else null. */
  invitedBy: string | null
  /** No notifications for ordinary messages; a message that @mentions me still notifies. */
  muted: boolean
  /** ms since epoch of the last change to this group. */
  updatedAt: number
}

/** How far one of my group messages got: counts over the members other than me at the time I sent it. */
export interface GroupReceiptCounts {
  messageId: string
  groupId: string
  /** Members (state 'member', not me) when it was sent. */
  members: number
  /** Of those, how many have a device that stored it (read implies delivered). */
  delivered: number
  read: number
}

export const CreateGroupInputSchema = z.object({
  name: GroupNameSchema,
  /** People to invite (each gets an invite in their inbox). */
  members: z.array(NameSchema).max(MAX_GROUP_MEMBERS - 1).optional(),
  avatar: AvatarUploadSchema.optional(),
})
export type CreateGroupInput = z.input<typeof CreateGroupInputSchema>

export interface GroupsService {
  /** Groups I am in or invited to, and those I left (newest change first). */
  list(): Promise<GroupSummary[]>
  get(groupId: string): Promise<GroupSummary>
  /** Creates a group with me as its only admin and invites `members`. */
  create(input: CreateGroupInput): Promise<GroupSummary>
  /** Admins only: invites `user` (an invite in their inbox; they appear as 'invited'). */
  invite(groupId: string, user: string): Promise<GroupSummary>
  /** My answer to an invite: accept joins, decline forgets the group. */
  accept(groupId: string): Promise<GroupSummary>
  decline(groupId: string): Promise<void>
  /** Leaves the group (the history stays, marked 'left'). */
  leave(groupId: string): Promise<GroupSummary>
  /** Admins only: removes a member or withdraws an invite. */
  remove(groupId: string, user: string): Promise<GroupSummary>
  /** Admins only. */
  rename(groupId: string, name: string): Promise<GroupSummary>
  /** Admins only: image bytes as for a profile avatar (resized); null removes it. */
  setAvatar(groupId: string, image: z.input<typeof AvatarUploadSchema> | null): Promise<GroupSummary>
  /** Admins only: makes a member an admin. */
  addAdmin(groupId: string, user: string): Promise<GroupSummary>
  setMuted(groupId: string, muted: boolean): Promise<GroupSummary>
  /** Delivery and read counts of one of my group messages. */
  receiptCounts(messageId: string): Promise<GroupReceiptCounts>
}

/** A group message that @mentions me arrived (notify even when the group is muted). */
export interface GroupMention {
  groupId: string
  conversationId: string
  messageId: string
  from: string
  text: string
}

export interface GroupsEvents {
  /** A group's summary changed (created, invited, meta update, membership, muted). */
  group: GroupSummary
  /** A group is gone from the list (an invite declined, withdrawn or found invalid). */
  groupRemoved: { id: string }
  groupMention: GroupMention
  /** The counts of one of my group messages changed. */
  groupReceipts: GroupReceiptCounts
}

export const groupsContract = defineContract<GroupsService, GroupsEvents>()({
  methods: {
    list: z.tuple([]),
    get: z.tuple([GroupIdSchema]),
    create: z.tuple([CreateGroupInputSchema]),
    invite: z.tuple([GroupIdSchema, NameSchema]),
    accept: z.tuple([GroupIdSchema]),
    decline: z.tuple([GroupIdSchema]),
    leave: z.tuple([GroupIdSchema]),
    remove: z.tuple([GroupIdSchema, NameSchema]),
    rename: z.tuple([GroupIdSchema, GroupNameSchema]),
    setAvatar: z.tuple([GroupIdSchema, AvatarUploadSchema.nullable()]),
    addAdmin: z.tuple([GroupIdSchema, NameSchema]),
    setMuted: z.tuple([GroupIdSchema, z.boolean()]),
    receiptCounts: z.tuple([MessageIdSchema]),
  },
  events: ['group', 'groupRemoved', 'groupMention', 'groupReceipts'],
})

export { GroupIdSchema } from '../protocol/group-id'
