import { z } from 'zod'
import { NameSchema, RequestNoteSchema } from '../protocol/names'
import { defineContract } from './define'

/**
 * A person in my contact list, or a friend request in flight: 'incoming' (they
 * asked me), 'outgoing' (I asked them), 'contact' (accepted, either way).
 */
export type ContactState = 'contact' | 'incoming' | 'outgoing'

export interface Contact {
  user: string
  state: ContactState
  /** The note of the pending request (incoming or outgoing). */
  note: string | null
  /** ms since epoch: when the request was made, or the contact accepted. */
  since: number
  /** ms since epoch after which a pending request lapses; null for contacts. */
  expiresAt: number | null
  /**
   * Whether the broker has what I last sent about this person (my request, or my
   * accept): 'queued' until its PUBACK, 'failed' when the broker refused it.
   * Absent when I sent nothing (their request, waiting for my answer).
   */
  delivery?: 'queued' | 'sent' | 'failed'
}

/** Longest a friend request stays pending (also the default): 30 days. */
export const MAX_REQUEST_SECONDS = 30 * 86_400

export const FriendRequestInputSchema = z.object({
  user: NameSchema,
  note: RequestNoteSchema.optional(),
  /** How long the request stays pending before it lapses (default and most: 30 days). */
  expiresInSeconds: z.number().int().min(1).max(MAX_REQUEST_SECONDS).optional(),
})
export type FriendRequestInput = z.input<typeof FriendRequestInputSchema>

export interface ContactsService {
  /** Contacts and pending requests in and out, contacts first then newest. */
  list(): Promise<Contact[]>
  /** Asks `user` to be a contact (seed 000: `R/{user}/Inbox/Add/GFReq/{me}`); accepts at once if they asked me first. */
  request(input: FriendRequestInput): Promise<Contact>
  /** Accepts their request: each becomes a contact of the other. */
  accept(user: string): Promise<Contact>
  /** Declines their request (they are told). */
  decline(user: string): Promise<void>
  /** Withdraws my pending request. */
  cancel(user: string): Promise<void>
  /** Removes a contact from my list (here and on my other devices). */
  remove(user: string): Promise<void>
}

/** One batch of changes (a flood of requests arrives as a few events, not thousands). */
export interface ContactsChange {
  changed: Contact[]
  /** Users no longer in the list (declined, cancelled, expired, removed). */
  removed: string[]
}

export interface ContactsEvents {
  contacts: ContactsChange
}

export const contactsContract = defineContract<ContactsService, ContactsEvents>()({
  methods: {
    list: z.tuple([]),
    request: z.tuple([FriendRequestInputSchema]),
    accept: z.tuple([NameSchema]),
    decline: z.tuple([NameSchema]),
    cancel: z.tuple([NameSchema]),
    remove: z.tuple([NameSchema]),
  },
  events: ['contacts'],
})
