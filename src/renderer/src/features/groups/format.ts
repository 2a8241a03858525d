/** Words and small decisions the group screens share; pure, so unit tests pin them. */
import type { GroupMember, GroupReceiptCounts, PresenceState } from '../../../../shared/contract'

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`

/**
 * The chat header's line for a group: "3 members, 2 online". Only members count (not
 * invitees); `online(user)` says whether someone is reachable now (me included).
 */
export function memberLine(members: readonly GroupMember[], online: (user: string) => boolean): string {
  const joined = members.filter((m) => m.state === 'member')
  const here = joined.filter((m) => online(m.user)).length
  const invited = members.length - joined.length
  const base = `${plural(joined.length, 'member')}, ${here} online`
  return invited ? `${base}, ${invited} invited` : base
}

/** Someone counts as online unless offline or unknown. */
export function isOnline(state: PresenceState | undefined): boolean {
  return state !== undefined && state !== 'offline'
}

/** "Delivered to 2 of 3, read by 1" for one of my group messages. */
export function receiptLine(c: Pick<GroupReceiptCounts, 'members' | 'delivered' | 'read'>): string {
  if (c.members === 0) return 'No other members when sent'
  return `Delivered to ${c.delivered} of ${c.members}, read by ${c.read}`
}

/**
 * An @mention being typed at the end of `before` (the text before the caret): the `@`'s
 * index and what follows it. Only at the start or after a space, so e-mail addresses
 * do not open the list.
 */
export function mentionQuery(before: string): { start: number; query: string } | null {
  const match = /(?:^|\s)@([^\s@]{0,32})$/u.exec(before)
  if (!match) return null
  return { start: before.length - match[1]!.length - 1, query: match[1]! }
}

/** Whether `text` @mentions `user` (as a whole name: "@bob" but not "@bobby" or "x@bob"). */
export function mentions(text: string, user: string): boolean {
  const escaped = user.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
  return new RegExp(`(?:^|[^\\p{L}\\p{N}_@.-])@${escaped}(?![\\p{L}\\p{N}_-])`, 'iu').test(text)
}

/** The contact search, shared with the contact checklist (ui/), also filters @mention suggestions. */
export { matching } from '../../ui/people-search'

/** Why `name` cannot be a group's name, or null (the engine checks again). */
export function nameProblem(name: string): string | null {
  if (!name.trim()) return 'Give the group a name.'
  if ([...name.trim()].length > 64) return 'A group name has at most 64 characters.'
  return null
}

/** A stable hue for a sender's name in a group, so each person keeps one colour. */
export function senderHue(user: string): number {
  let h = 0
  for (const ch of user) h = (h * 31 + ch.codePointAt(0)!) % 360
  return h
}
