/** Words and checks for the contacts panel, kept apart from the components so they can be tested. */
import type { Contact } from '../../../../shared/contract'
import { nameProblem, RequestNoteSchema } from '../../../../shared/protocol/names'
import { isolate } from '../../ui/bidi'

/** How many rows of one section are drawn at first, and how many more each "Show more" adds. */
export const PAGE_ROWS = 50

/** The first `limit` of `items`, and how many are left out. */
export function bounded<T>(items: readonly T[], limit: number): { shown: readonly T[]; hidden: number } {
  return items.length <= limit ? { shown: items, hidden: 0 } : { shown: items.slice(0, limit), hidden: items.length - limit }
}

/** What is known about the user a friend request is for. */
export interface RequestTarget {
  me: string | null
  existing: Contact | undefined
  blocked: boolean
}

/** Why a friend request to `user` cannot be sent, as a sentence; null when it can. */
export function requestProblem(user: string, target: RequestTarget): string | null {
  const invalid = nameProblem(user)
  if (invalid) return invalid
  const who = isolate(user)
  if (target.me !== null && user === target.me) return 'That is you.'
  if (target.blocked) return `You blocked ${who}. Unblock them first (Settings › Blocked people).`
  switch (target.existing?.state) {
    case 'contact':
      return `${who} is already in your contacts.`
    case 'outgoing':
      return `You already asked ${who}; the request is waiting for an answer.`
    default:
      return null
  }
}

/** Why a note cannot go with a request; null when it is fine (an empty note is no note). */
export function noteProblem(note: string): string | null {
  if (note.trim() === '') return null
  const r = RequestNoteSchema.safeParse(note)
  return r.success ? null : (r.error.issues[0]?.message ?? 'That note cannot be sent.')
}

/** What the panel says once a request is made: sent, accepted at once (they had asked me), or queued while offline. */
export function requestSentMessage(result: Contact, connected: boolean): string {
  const who = isolate(result.user)
  if (result.state === 'contact') return `${who} had asked you too: you are now contacts.`
  if (!connected) return `You are offline: the request to ${who} is saved and will be sent when Parley reconnects.`
  return `Request sent to ${who}.`
}

/** Sorts people by the name shown for them (then by user name, so equal names stay in one order). */
export function byShownName<T extends { user: string }>(items: readonly T[], shown: (user: string) => string): T[] {
  const collator = new Intl.Collator(undefined, { sensitivity: 'base', numeric: true })
  return items
    .map((item) => ({ item, name: shown(item.user) }))
    .sort((a, b) => collator.compare(a.name, b.name) || a.item.user.localeCompare(b.item.user))
    .map((x) => x.item)
}

const day = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'long', year: 'numeric' })

/** The details dialog's line about where we stand: "In your contacts since 3 March 2025", "Wants to be your contact"… */
export function relationLine(contact: Contact | undefined, blocked: boolean): string {
  if (blocked) return 'You blocked them: nothing they send reaches you.'
  switch (contact?.state) {
    case 'contact':
      return `In your contacts since ${day.format(contact.since)}.`
    case 'incoming':
      return 'Wants to be your contact.'
    case 'outgoing':
      return `You asked to be their contact on ${day.format(contact.since)}; waiting for an answer.`
    default:
      return 'Not in your contacts.'
  }
}

/** A sent request's state, from whether the broker has it: "Waiting to be sent", "Waiting for an answer", "Not sent". */
export function outgoingLine(c: Pick<Contact, 'delivery'>): string {
  switch (c.delivery) {
    case 'queued':
      return 'Waiting to be sent'
    case 'failed':
      return 'Not sent: the broker refused it'
    default:
      return 'Waiting for an answer'
  }
}
