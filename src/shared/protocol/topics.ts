/**
 * Parley's topic scheme (docs/protocol.md). In inbox topics the sender is the last
 * level so a broker ACL can force it: `pattern write IMS/+/Inbox/+/%u`.
 */

/**
 * The inbox kinds: `R/{to}/Inbox/{kind}/{from}`. Friend requests and their answers
 * use seed 000's two-level kinds (`Add/GFReq`, `Add/GFResp`); group invites and
 * answers use `Group`, receipts for group messages `GRcpt`.
 */
export type InboxKind = 'Msg' | 'Rcpt' | 'Typing' | 'Add/GFReq' | 'Add/GFResp' | 'Group' | 'GRcpt'

export function inboxTopic(root: string, kind: InboxKind, to: string, from: string): string {
  return `${root}/${to}/Inbox/${kind}/${from}`
}

export function inboxFilter(root: string, kind: InboxKind, me: string): string {
  return `${root}/${me}/Inbox/${kind}/+`
}

export function directTopic(root: string, to: string, from: string): string {
  return inboxTopic(root, 'Msg', to, from)
}

/**
 * `R/{to}/Inbox/{kind}/{from}` (kind one or two levels: `Msg`, `Add/GFReq`) and
 * seed 000's `R/{to}/Inbox/Update/{from}/Unsub` (kind `Update/Unsub`) → parts, or null.
 */
export function parseInboxTopic(root: string, topic: string): { kind: string; to: string; from: string } | null {
  const parts = topic.split('/')
  if (parts[0] !== root || parts[2] !== 'Inbox' || !parts[1] || parts.some((p) => p === '')) return null
  if (parts.length === 5) return { to: parts[1], kind: parts[3]!, from: parts[4]! }
  if (parts.length === 6 && parts[3] === 'Add') return { to: parts[1], kind: `Add/${parts[4]}`, from: parts[5]! }
  if (parts.length === 6 && parts[3] === 'Update' && parts[5] === 'Unsub') return { to: parts[1], kind: 'Update/Unsub', from: parts[4]! }
  return null
}

/** seed 000's unfollow notice: `from` tells `to` to stop following its moments (sent when `from` blocks `to`). */
export function unsubTopic(root: string, to: string, from: string): string {
  return `${root}/${to}/Inbox/Update/${from}/Unsub`
}

export function unsubFilter(root: string, me: string): string {
  return `${root}/${me}/Inbox/Update/+/Unsub`
}

/** A person's profile, retained (seed 001). */
export function profileTopic(root: string, user: string): string {
  return `${root}/${user}/Profile`
}

/** A person's moments (seed 000 scenario 2): followers subscribe to exactly this topic. */
export function momentsTopic(root: string, user: string): string {
  return `${root}/${user}`
}

/**
 * The phone directory (seed 001): a retained record under a salted hash of an
 * E.164 number. Names cannot start with "$", so this never meets a user's topics.
 */
export function phoneTopic(root: string, hashId: string): string {
  return `${root}/$Phone/${hashId}`
}

/** What one device tells the account's other devices (sealed with the account's device key). */
export function syncTopic(root: string, user: string, device: string): string {
  return `${root}/${user}/Sync/${device}`
}

export function syncFilter(root: string, user: string): string {
  return `${root}/${user}/Sync/+`
}

/** A device's own record for the account's other devices (its name), retained and sealed like sync items. */
export function deviceInfoTopic(root: string, user: string, device: string): string {
  return `${root}/${user}/Devices/${device}`
}

export function deviceInfoFilter(root: string, user: string): string {
  return `${root}/${user}/Devices/+`
}

/** `R/{user}/Sync/{device}` or `R/{user}/Devices/{device}` → parts, or null. */
export function parseDeviceTopic(root: string, topic: string): { user: string; level: 'Sync' | 'Devices'; device: string } | null {
  const parts = topic.split('/')
  if (parts.length !== 4 || parts[0] !== root || !parts[1] || !parts[3]) return null
  const level = parts[2]
  return level === 'Sync' || level === 'Devices' ? { user: parts[1], level, device: parts[3] } : null
}

export function presenceTopic(root: string, user: string, device: string): string {
  return `${root}/${user}/Presence/${device}`
}

export function presenceFilter(root: string, user: string): string {
  return `${root}/${user}/Presence/+`
}

export function parsePresenceTopic(root: string, topic: string): { user: string; device: string } | null {
  const parts = topic.split('/')
  if (parts.length === 4 && parts[0] === root && parts[2] === 'Presence' && parts[1] && parts[3]) {
    return { user: parts[1], device: parts[3] }
  }
  return null
}

/** seed 000: client ids are `GroupID@@@DeviceID`; Parley's DeviceID part is a per-installation secret. */
export function clientId(groupId: string, clientSecret: string): string {
  return `${groupId}@@@${clientSecret}`
}

/**
 * Whether `topic` matches the MQTT subscription `filter` (`+` one level, `#` the
 * rest). Topics starting with `$` are not matched by a leading wildcard (MQTT 4.7.2).
 */
export function topicMatches(filter: string, topic: string): boolean {
  if (topic.startsWith('$') && (filter.startsWith('+') || filter.startsWith('#'))) return false
  const f = filter.split('/')
  const t = topic.split('/')
  for (let i = 0; i < f.length; i++) {
    const level = f[i]
    if (level === '#') return true
    if (i >= t.length) return false
    if (level !== '+' && level !== t[i]) return false
  }
  return f.length === t.length
}

/** A group's retained metadata (exactly this topic) and, one level down, its members' messages. */
export function groupTopic(root: string, group: string): string {
  return `${root}/${group}`
}

/** Where `member` publishes messages to the group: the last level is the sender. */
export function groupMemberTopic(root: string, group: string, member: string): string {
  return `${root}/${group}/${member}`
}

/** One subscription gets the metadata and every member's messages. */
export function groupFilter(root: string, group: string): string {
  return `${root}/${group}/#`
}

/** `R/{group}` → {group}, `R/{group}/{member}` → {group, member}; anything else null. */
export function parseGroupTopic(root: string, topic: string): { group: string; member: string | null } | null {
  const parts = topic.split('/')
  if (parts[0] !== root || !parts[1]) return null
  if (parts.length === 2) return { group: parts[1], member: null }
  if (parts.length === 3 && parts[2]) return { group: parts[1], member: parts[2] }
  return null
}
