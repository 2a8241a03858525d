import type { GroupMember } from '../../../../shared/contract'

/** A group's metadata as Parley keeps it (and as the `group-meta` envelope carries it). */
export interface GroupMeta {
  name: string
  avatar: string | null
  members: GroupMember[]
  version: number
}

/** Admins first, then by user name: one order everywhere. */
export function sortMembers(members: readonly GroupMember[]): GroupMember[] {
  return [...members].sort((a, b) => Number(b.admin) - Number(a.admin) || (a.user < b.user ? -1 : a.user > b.user ? 1 : 0))
}

export function findMember(meta: Pick<GroupMeta, 'members'>, user: string): GroupMember | undefined {
  return meta.members.find((m) => m.user === user)
}

export function isAdmin(meta: Pick<GroupMeta, 'members'>, user: string): boolean {
  const m = findMember(meta, user)
  return !!m && m.admin && m.state === 'member'
}

/**
 * Whether `incoming`, published by `publisher`, replaces `current` (null: no
 * metadata yet), or why not. Higher versions win; the publisher must be an admin
 * of the version it replaces — or, for the first version I see, of the incoming
 * one (the creator names themselves the first admin), and, for an invite, the
 * person who invited me must be an admin there too.
 */
export function metaProblem(
  current: GroupMeta | null,
  incoming: GroupMeta,
  publisher: string,
  inviter: string | null = null,
): string | null {
  if (current && incoming.version <= current.version) {
    return `version ${incoming.version} is not newer than the version ${current.version} held (a replay or a concurrent change)`
  }
  if (current) {
    if (!isAdmin(current, publisher)) return `${publisher} is not an admin of version ${current.version}: a forged member list`
    return null
  }
  if (!isAdmin(incoming, publisher)) return `${publisher} published it but is not among its admins`
  if (inviter && !isAdmin(incoming, inviter)) return `the invite came from ${inviter}, who is not an admin of the group`
  return null
}

/** The next version after a change an admin makes (`change` gets a copy of the members). */
export function nextMeta(current: GroupMeta, change: (members: GroupMember[]) => GroupMember[], extra: Partial<Pick<GroupMeta, 'name' | 'avatar'>> = {}): GroupMeta {
  const members = sortMembers(change(current.members.map((m) => ({ ...m }))))
  return { name: extra.name ?? current.name, avatar: extra.avatar === undefined ? current.avatar : extra.avatar, members, version: current.version + 1 }
}

/** Members (state 'member') other than `me`: whom a message of mine should reach. */
export function audience(meta: Pick<GroupMeta, 'members'>, me: string): number {
  return meta.members.filter((m) => m.state === 'member' && m.user !== me).length
}

/** The user names `text` @mentions among `candidates` (a mention ends where a name cannot go on). */
export function mentionsIn(text: string, candidates: readonly string[]): string[] {
  const found: string[] = []
  for (const name of candidates) {
    let at = text.indexOf(`@${name}`)
    while (at >= 0) {
      const before = at === 0 ? '' : text[at - 1]!
      const after = text.slice(at + 1 + name.length)
      const endsHere = after === '' || /^[\s.,:;!?)\]}'"»…]/u.test(after)
      if ((before === '' || /[\s([{'"«]/u.test(before)) && endsHere) {
        found.push(name)
        break
      }
      at = text.indexOf(`@${name}`, at + 1)
    }
  }
  return found
}
