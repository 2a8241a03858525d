import { randomBytes } from 'node:crypto'
import type { IPublishPacket } from 'mqtt'
import { z } from 'zod'
import type { ChatMessage, GroupMember, GroupSummary } from '../../../../shared/contract'
import { CreateGroupInputSchema, GroupNameSchema, MAX_GROUP_MEMBERS } from '../../../../shared/contract'
import { AvatarUploadSchema } from '../../../../shared/contract/profiles'
import { conversationId, parseConversationId } from '../../../../shared/protocol/conversation-id'
import { MAX_RECEIPT_IDS, MessageIdSchema } from '../../../../shared/protocol/envelope'
import { GroupIdSchema } from '../../../../shared/protocol/group-id'
import { NameSchema } from '../../../../shared/protocol/names'
import { groupFilter, groupMemberTopic, groupTopic, inboxFilter, inboxTopic, parseGroupTopic } from '../../../../shared/protocol/topics'
import { ParleyError } from '../../../../shared/rpc'
import { defineFeature, type Account } from '../../kernel/feature'
import type { AfterCommit, Route } from '../../mqtt/router'
import { envelope, newMessageId } from '../../protocol/codec'
import { decodeInbox } from '../../protocol/inbox'
import type { ConversationsApi } from '../conversations'
import type { ForeignMessage, MessagesApi } from '../messages/api'
import type { ProfilesApi } from '../profiles/api'
import { audience, findMember, isAdmin, mentionsIn, metaProblem, nextMeta, type GroupMeta } from './meta'
import { migration0015 } from './migrations/0015_groups'
import { GroupStore, toSummary, type GroupRow } from './store'

/** Invites and answers (outbox, re-offered until answered) and read receipts. */
const OWNER = 'groups'
const RECEIPTS_OWNER = 'groups-receipts'
/** How far ahead of our clock a sender's timestamp may be before it is capped (as for 1:1 messages). */
const MAX_CLOCK_SKEW_MS = 5 * 60_000
const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567'

/** `grp_` + 20 random base32 characters (100 bits): not guessable, and no user name can look like it. */
export function newGroupId(): string {
  const bytes = randomBytes(20)
  let id = 'grp_'
  for (const b of bytes) id += BASE32[b & 31]
  return id
}

function chunks<T>(list: readonly T[], size: number): T[][] {
  const out: T[][] = []
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size))
  return out
}

/** The sender an envelope claims, read before decoding: the group topic has no sender level for the metadata. */
function claimedSender(payload: Uint8Array): string | null {
  try {
    const from = (JSON.parse(Buffer.from(payload).toString('utf8')) as { from?: unknown }).from
    return typeof from === 'string' ? from : null
  } catch {
    return null
  }
}

/**
 * Groups (issue 9): the metadata is retained on `R/{group}` by an admin and kept
 * by version; members publish to `R/{group}/{member}` and subscribe
 * `R/{group}/#`, so one publish reaches every member's session. Invites and
 * answers go through inboxes (`R/{to}/Inbox/Group/{from}`), receipts for group
 * messages to `R/{sender}/Inbox/GRcpt/{member}` and are shown as counts.
 * docs/protocol.md, "Groups", has the rules.
 */
export const groupsFeature = defineFeature({
  name: 'groups',
  dependsOn: ['conversations', 'messages', 'profiles'],
  migrations: [migration0015],
  create(ctx) {
    const conversations = ctx.use<ConversationsApi>('conversations')
    const messages = ctx.use<MessagesApi>('messages')
    const profiles = ctx.use<ProfilesApi>('profiles')
    const store = new GroupStore(ctx.db)
    const checks = new Map<string, NodeJS.Timeout>()
    // An invite waits this long for metadata that lists me (it may cross the admin's publish): a few seconds.
    const checkMs = Math.min(10_000, Math.max(1_500, ctx.tuning.reofferBaseMs * 5))

    const me = (): string => ctx.requireAccount().user
    const summary = (row: GroupRow): GroupSummary => toSummary(row, me())
    const emit = (id: string): void => {
      const row = store.get(id)
      if (row && row.membership !== 'checking') ctx.events.emit('group', summary(row))
    }
    const inviteRef = (group: string, user: string): string => `invite:${group}:${user}`

    // ---- subscriptions: members get everything, invitees only the metadata ----
    const filterOf = (account: Account, row: Pick<GroupRow, 'id' | 'membership'>): string | null => {
      if (row.membership === 'member') return groupFilter(account.root, row.id)
      if (row.membership === 'checking' || row.membership === 'invited') return groupTopic(account.root, row.id)
      return null
    }
    const groupRoute = (account: Account, filter: string): Route => ({
      filter,
      qos: 1,
      retained: 'accept', // the metadata is retained; retained messages are dropped in the handler
      handle: (packets) => handleGroup(account, packets),
    })
    /** Moves the subscription of a group whose membership changed (new one first, so nothing falls between). */
    const follow = (id: string, before: GroupRow['membership'] | null): void => {
      const account = ctx.account()
      if (!account) return
      const row = store.get(id)
      const was = before ? filterOf(account, { id, membership: before }) : null
      const now = row ? filterOf(account, row) : null
      if (was === now) return
      if (now) ctx.addRoute(groupRoute(account, now))
      if (was) ctx.removeRoute(was)
    }

    // ---- publishing the metadata (retained; what did not reach the broker goes on the next connection) ----
    const publishMeta = (id: string): void => {
      const account = ctx.account()
      const row = store.get(id)
      if (!account || !row?.publish || !ctx.connected()) return
      const topic = groupTopic(account.root, id)
      const body = { name: row.name, ...(row.avatar ? { avatar: row.avatar } : {}), members: row.members, version: row.version }
      const payload = row.members.length ? ctx.codec.encode(envelope('group-meta', account.user, body, { dev: account.deviceId }), topic) : Buffer.alloc(0)
      ctx.publisher.publish(topic, payload, { qos: 1, retain: true }).then(
        () => store.markPublished(id, row.version),
        (err: Error) => ctx.log.info('group metadata stays queued', { group: id, reason: err.message }),
      )
    }

    const conversationOf = (id: string): string => conversationId('group', id)
    /** The group's conversation exists (in the inbox, titled with the group's name) once I am a member. */
    const ensureConversation = (row: GroupRow): void => {
      const cid = conversationOf(row.id)
      conversations.store.ensure(cid)
      conversations.store.setTitle(cid, row.name)
    }

    const sendMembership = (account: Account, to: string, group: string, action: 'invite' | 'accept' | 'decline' | 'leave', name?: string): void => {
      const topic = inboxTopic(account.root, 'Group', to, account.user)
      const e = envelope('group-membership', account.user, { group, action, ...(name ? { name } : {}) }, { dev: account.deviceId })
      const ref = action === 'invite' ? inviteRef(group, to) : newMessageId()
      if (action === 'invite') ctx.publisher.cancel(OWNER, ref) // a new invite replaces an old one
      // Invites are offered again until answered (the invitee may have no broker session yet).
      ctx.publisher.enqueue({ owner: OWNER, ref, topic, payload: ctx.codec.encode(e, topic), reoffer: action === 'invite' })
    }
    ctx.publisher.register(OWNER, { failed: (ref, reason) => ctx.log.warn('a group invite or answer was refused', { ref, reason }) })
    ctx.publisher.register(RECEIPTS_OWNER, { failed: (ref) => ctx.publisher.cancel(RECEIPTS_OWNER, ref) })

    // ---- the receive path ----
    const drop = (what: string, topic: string, reason: string): void => ctx.log.warn(`dropped ${what}`, { topic, reason })

    const handleGroup = (account: Account, packets: readonly IPublishPacket[]): AfterCommit => {
      const changed = new Set<string>()
      const moves: [string, GroupRow['membership'] | null][] = []
      const gone: string[] = []
      const foreign: ForeignMessage[] = []
      const mirrored: ChatMessage[] = []
      const mentions = new Set<string>()
      const now = Date.now()
      for (const packet of packets) {
        const t = parseGroupTopic(account.root, packet.topic)
        const row = t && store.get(t.group)
        if (!t || !row) {
          drop('a group packet', packet.topic, 'not a group of mine')
          continue
        }
        const payload = packet.payload as Uint8Array
        if (t.member === null) {
          if (payload.byteLength === 0) {
            // The group was closed (its last member left): an invite to it is void; members keep their history.
            if (row.membership === 'invited' || row.membership === 'checking') {
              drop('a group invite', packet.topic, 'the group was closed')
              store.remove(row.id)
              if (row.membership === 'invited') gone.push(row.id)
              moves.push([row.id, row.membership])
            }
            continue
          }
          const from = claimedSender(payload)
          const decoded = from ? ctx.codec.decode(packet.topic, payload, 'group-meta', from) : ({ ok: false, reason: 'payload is not a Parley envelope' } as const)
          if (!decoded.ok) {
            drop('group metadata', packet.topic, decoded.reason)
            continue
          }
          const b = decoded.envelope.body
          const incoming: GroupMeta = { name: b.name, avatar: b.avatar ?? null, members: b.members, version: b.version }
          // The same version again is normal (my own publish coming back, a new subscription's retained copy).
          if (row.version > 0 && incoming.version === row.version) continue
          const problem = metaProblem(row.version > 0 ? row : null, incoming, decoded.envelope.from, row.membership === 'checking' ? row.invitedBy : null)
          if (problem) {
            drop('group metadata', packet.topic, problem)
            continue
          }
          const listed = !!findMember(incoming, account.user)
          let membership = row.membership
          if (row.membership === 'checking' && listed) membership = 'invited'
          else if (row.membership === 'member' && !listed) membership = 'removed'
          else if (row.membership === 'invited' && !listed) {
            // The invite was withdrawn.
            store.remove(row.id)
            ctx.publisher.cancel(OWNER, inviteRef(row.id, account.user))
            gone.push(row.id)
            moves.push([row.id, row.membership])
            continue
          }
          const next: GroupRow = { ...row, ...incoming, membership, publish: false, updatedAt: now }
          store.put(next)
          if (membership === 'member') ensureConversation(next)
          if (membership !== row.membership) moves.push([row.id, row.membership])
          changed.add(row.id)
          continue
        }
        // A message from t.member.
        if (packet.retain) {
          drop('a group message', packet.topic, 'a retained message (stale, or not from a member)')
          continue
        }
        if (row.membership !== 'member') {
          drop('a group message', packet.topic, `I am not a member of ${row.id} (${row.membership})`)
          continue
        }
        const decoded = ctx.codec.decode(packet.topic, payload, 'text', t.member)
        if (!decoded.ok) {
          drop('a group message', packet.topic, decoded.reason)
          continue
        }
        // Without a broker ACL anyone can publish here: only the members of the current metadata count.
        if (!findMember(row, t.member)) {
          drop('a group message', packet.topic, `${t.member} is not a member of ${row.id}`)
          continue
        }
        const e = decoded.envelope
        const cid = conversationOf(row.id)
        if (t.member === account.user) {
          // Mine, from another device of mine (or this one's own echo, already stored).
          const m = messages.storeMirrored({ id: e.id, conversationId: cid, senderDevice: e.dev ?? null, ts: e.ts, seq: e.seq ?? null, text: e.body.text })
          if (m) {
            mirrored.push(m)
            store.addMessage(e.id, row.id, account.user, audience(row, account.user))
          }
          continue
        }
        foreign.push({ id: e.id, conversationId: cid, sender: t.member, ts: Math.min(e.ts, now + MAX_CLOCK_SKEW_MS), text: e.body.text })
        store.addMessage(e.id, row.id, t.member, null)
        if (e.body.mentions?.includes(account.user) || mentionsIn(e.body.text, [account.user]).length) mentions.add(e.id)
      }
      const stored = foreign.length ? messages.storeForeign(foreign) : []
      // Delivery receipts: every message now here whose sender is who the group table says (a re-delivery counts).
      const owed = new Map<string, string[]>()
      for (const f of foreign) {
        if (store.message(f.id)?.sender !== f.sender) continue
        const list = owed.get(f.sender)
        if (list) list.push(f.id)
        else owed.set(f.sender, [f.id])
      }
      return () => {
        for (const [id, before] of moves) follow(id, before)
        for (const id of gone) ctx.events.emit('groupRemoved', { id })
        for (const id of changed) {
          emit(id)
          conversations.announce(conversationOf(id))
        }
        const shown = [...mirrored, ...stored]
        if (shown.length) messages.announce(shown)
        for (const m of stored) {
          if (!mentions.has(m.id)) continue
          const group = parseConversationId(m.conversationId)!.address
          ctx.events.emit('groupMention', { groupId: group, conversationId: m.conversationId, messageId: m.id, from: m.sender, text: m.text })
        }
        for (const [sender, ids] of owed) {
          for (const part of chunks(ids, MAX_RECEIPT_IDS)) {
            const topic = inboxTopic(account.root, 'GRcpt', sender, account.user)
            const payload = ctx.codec.encode(envelope('receipt', account.user, { kind: 'delivered', ids: part }, { dev: account.deviceId }), topic)
            ctx.publisher.publish(topic, payload, { qos: 1 }).catch(() => {})
          }
        }
      }
    }

    /** Invites to me, and answers to me as an admin. */
    const handleMembership = (account: Account, packets: readonly IPublishPacket[]): AfterCommit => {
      const after: (() => void)[] = []
      const now = Date.now()
      for (const { from, envelope: e, packet } of decodeInbox({ codec: ctx.codec, log: ctx.log, account }, packets, 'group-membership', 'a group invite or answer')) {
        const { group, action } = e.body
        const row = store.get(group)
        if (action === 'invite') {
          if (row && ['checking', 'invited', 'member'].includes(row.membership)) continue // offered again: I have it
          // Shown once the group's metadata confirms it: it must exist, list me and have `from` as an admin.
          store.put({
            id: group,
            name: e.body.name ?? group,
            avatar: row?.avatar ?? null,
            version: row?.version ?? 0,
            members: row?.members ?? [],
            membership: 'checking',
            invitedBy: from,
            muted: row?.muted ?? false,
            publish: false,
            updatedAt: now,
          })
          after.push(() => {
            follow(group, row?.membership ?? null)
            scheduleCheck(group)
          })
          continue
        }
        // An answer to an invite of mine, or a member leaving: admins apply it to the metadata.
        if (!row || row.membership !== 'member' || !isAdmin(row, account.user)) {
          drop(`a group ${action}`, packet.topic, `I am not an admin of ${group}`)
          continue
        }
        const person = findMember(row, from)
        if (action !== 'leave') ctx.publisher.confirm(OWNER, inviteRef(group, from))
        if (!person || (action !== 'leave' && person.state !== 'invited')) continue // already applied (another admin, or a repeat)
        const next = nextMeta(row, (ms) => (action === 'accept' ? ms.map((m) => (m.user === from ? { ...m, state: 'member' as const } : m)) : ms.filter((m) => m.user !== from)))
        store.put({ ...row, ...next, publish: true, updatedAt: now })
        after.push(() => {
          publishMeta(group)
          emit(group)
        })
      }
      if (after.length) return () => after.forEach((f) => f())
    }

    /** Receipts from members for my group messages: counted per member. */
    const handleReceipts = (account: Account, packets: readonly IPublishPacket[]): AfterCommit => {
      const changed = new Map<string, { groupId: string; members: number }>()
      for (const { from, envelope: e } of decodeInbox({ codec: ctx.codec, log: ctx.log, account }, packets, 'receipt', 'a group receipt')) {
        for (const id of e.body.ids) {
          const m = store.message(id)
          if (!m || m.sender !== account.user) continue
          const row = store.get(m.groupId)
          if (!row || !findMember(row, from)) continue
          if (store.receipt(id, from, e.body.kind === 'read')) changed.set(id, { groupId: m.groupId, members: m.members ?? 0 })
        }
      }
      if (changed.size) return () => changed.forEach((c, id) => ctx.events.emit('groupReceipts', store.counts(id, c.groupId, c.members)))
    }

    /** An invite whose group never confirms it is dropped, with the reason. */
    const scheduleCheck = (group: string): void => {
      if (checks.has(group)) return
      checks.set(
        group,
        setTimeout(() => {
          checks.delete(group)
          const row = store.get(group)
          if (row?.membership !== 'checking') return
          ctx.log.warn('dropped a group invite', {
            group,
            from: row.invitedBy,
            reason: row.version === 0 ? 'no such group: it has no metadata' : 'the group’s metadata does not list me, or not the inviter as an admin',
          })
          store.remove(group)
          follow(group, 'checking')
        }, checkMs),
      )
    }

    // ---- sending through the messages feature ----
    const memberRow = (group: string): GroupRow => {
      const row = store.get(group)
      if (!row || row.membership !== 'member') throw new ParleyError('You are not a member of that group.')
      return row
    }
    messages.registerTransport('group', {
      topic: (account, address) => groupMemberTopic(account.root, memberRow(address).id, account.user),
      reoffer: false, // one publish reaches every member's session
      encode(account, address, m) {
        const row = memberRow(address)
        const mentions = mentionsIn(m.text, row.members.map((p) => p.user).filter((u) => u !== account.user))
        const topic = groupMemberTopic(account.root, row.id, account.user)
        const e = envelope('text', account.user, { text: m.text, ...(mentions.length ? { mentions } : {}) }, { id: m.id, ts: m.ts, ...(m.senderDevice ? { dev: m.senderDevice } : {}), ...(m.seq !== null ? { seq: m.seq } : {}) })
        return ctx.codec.encode(e, topic)
      },
    })
    messages.onSent((m) => {
      const c = parseConversationId(m.conversationId)
      const row = c?.kind === 'group' ? store.get(c.address) : null
      if (row) store.addMessage(m.id, row.id, me(), audience(row, me()))
    })

    // Read receipts when I read a group conversation (unless I turned read receipts off).
    conversations.onRead((cid) => {
      const c = parseConversationId(cid)
      const account = ctx.account()
      if (!account || c?.kind !== 'group' || store.get(c.address)?.membership !== 'member') return
      const ids = messages.markSeen(cid)
      if (!ids.length || !ctx.prefs.get('receipts.sendRead', z.boolean(), true)) return
      const bySender = new Map<string, string[]>()
      for (const id of ids) {
        const sender = store.message(id)?.sender
        if (!sender || sender === account.user) continue
        const list = bySender.get(sender)
        if (list) list.push(id)
        else bySender.set(sender, [id])
      }
      ctx.db.transaction(() => {
        for (const [sender, list] of bySender) {
          for (const part of chunks(list, MAX_RECEIPT_IDS)) {
            const topic = inboxTopic(account.root, 'GRcpt', sender, account.user)
            const payload = ctx.codec.encode(envelope('receipt', account.user, { kind: 'read', ids: part }, { dev: account.deviceId }), topic)
            ctx.publisher.enqueue({ owner: RECEIPTS_OWNER, ref: newMessageId(), topic, payload })
          }
        }
      })()
    })

    // ---- the service ----
    const find = (group: string): GroupRow => {
      const row = store.get(GroupIdSchema.parse(group))
      if (!row || row.membership === 'checking') throw new ParleyError('There is no such group here.', 'not-found')
      return row
    }
    const asAdmin = (group: string): GroupRow => {
      const row = find(group)
      if (row.membership !== 'member' || !isAdmin(row, me())) throw new ParleyError('Only an admin of the group can do that.')
      return row
    }
    /** Stores an admin's new version, runs `alsoInTx`, then publishes it and tells the UI. */
    const change = (row: GroupRow, next: GroupMeta, alsoInTx?: (r: GroupRow) => void): GroupSummary => {
      const updated: GroupRow = { ...row, ...next, publish: true, updatedAt: Date.now() }
      store.transaction(() => {
        store.put(updated)
        if (updated.membership === 'member') ensureConversation(updated)
        alsoInTx?.(updated)
      })
      publishMeta(row.id)
      emit(row.id)
      conversations.announce(conversationOf(row.id))
      return summary(store.get(row.id)!)
    }
    const avatarOf = async (image: z.input<typeof AvatarUploadSchema> | null | undefined): Promise<string | null> => {
      if (!image) return null
      const { base64 } = AvatarUploadSchema.parse(image)
      return profiles.makeAvatar(Buffer.from(base64, 'base64'))
    }

    return {
      routes: (account) => [
        { filter: inboxFilter(account.root, 'Group', account.user), qos: 1, retained: 'drop', handle: (ps) => handleMembership(account, ps) },
        { filter: inboxFilter(account.root, 'GRcpt', account.user), qos: 1, retained: 'drop', handle: (ps) => handleReceipts(account, ps) },
        ...store.all().flatMap((row) => {
          const f = filterOf(account, row)
          return f ? [groupRoute(account, f)] : []
        }),
      ],
      onConnected() {
        for (const row of store.toPublish()) publishMeta(row.id)
        for (const row of store.all()) if (row.membership === 'checking') scheduleCheck(row.id)
      },
      close() {
        for (const t of checks.values()) clearTimeout(t)
        checks.clear()
      },
      service: {
        async list() {
          return store.all().filter((r) => r.membership !== 'checking').map(summary)
        },
        async get(group) {
          return summary(find(group))
        },
        async create(input) {
          const account = ctx.requireAccount()
          const { name, members = [], avatar } = CreateGroupInputSchema.parse(input)
          const invitees = [...new Set(members)].filter((u) => u !== account.user)
          const people: GroupMember[] = [{ user: account.user, state: 'member', admin: true }, ...invitees.map((user) => ({ user, state: 'invited' as const, admin: false }))]
          const meta: GroupMeta = { name, avatar: await avatarOf(avatar), members: people, version: 1 }
          const id = newGroupId()
          const row: GroupRow = { id, ...meta, membership: 'member', invitedBy: null, muted: false, publish: true, updatedAt: Date.now() }
          store.transaction(() => {
            store.put(row)
            ensureConversation(row)
            for (const user of invitees) sendMembership(account, user, id, 'invite', name)
          })
          follow(id, null)
          publishMeta(id)
          emit(id)
          conversations.announce(conversationOf(id))
          return summary(store.get(id)!)
        },
        async invite(group, user) {
          const account = ctx.requireAccount()
          const who = NameSchema.parse(user)
          const row = asAdmin(group)
          const listed = findMember(row, who)
          if (listed?.state === 'member') return summary(row)
          if (!listed && row.members.length >= MAX_GROUP_MEMBERS) throw new ParleyError(`A group can have at most ${MAX_GROUP_MEMBERS} people.`)
          if (listed) {
            // Invited already: offer the invite again.
            store.transaction(() => sendMembership(account, who, row.id, 'invite', row.name))
            return summary(row)
          }
          return change(row, nextMeta(row, (ms) => [...ms, { user: who, state: 'invited', admin: false }]), (r) => sendMembership(account, who, r.id, 'invite', r.name))
        },
        async accept(group) {
          const account = ctx.requireAccount()
          const row = find(group)
          if (row.membership === 'member') return summary(row)
          if (row.membership !== 'invited') throw new ParleyError('There is no invite to that group.', 'not-found')
          const updated: GroupRow = { ...row, membership: 'member', updatedAt: Date.now() }
          store.transaction(() => {
            store.put(updated)
            ensureConversation(updated)
            for (const admin of row.members.filter((m) => m.admin)) sendMembership(account, admin.user, row.id, 'accept')
          })
          follow(row.id, row.membership)
          emit(row.id)
          conversations.announce(conversationOf(row.id))
          return summary(store.get(row.id)!)
        },
        async decline(group) {
          const account = ctx.requireAccount()
          const row = store.get(GroupIdSchema.parse(group))
          if (!row || (row.membership !== 'invited' && row.membership !== 'checking')) throw new ParleyError('There is no invite to that group.', 'not-found')
          store.transaction(() => {
            store.remove(row.id)
            const admins = row.members.filter((m) => m.admin).map((m) => m.user)
            for (const admin of admins.length ? admins : [row.invitedBy].filter((u): u is string => !!u)) sendMembership(account, admin, row.id, 'decline')
          })
          follow(row.id, row.membership)
          ctx.events.emit('groupRemoved', { id: row.id })
        },
        async leave(group) {
          const account = ctx.requireAccount()
          const row = find(group)
          if (row.membership !== 'member') throw new ParleyError('You are not a member of that group.')
          const others = row.members.filter((m) => m.user !== account.user)
          let updated: GroupRow = { ...row, membership: 'left', updatedAt: Date.now() }
          if (isAdmin(row, account.user)) {
            // An admin publishes the change itself. The last admin out hands over to the first
            // member; the last member out closes the group (its retained metadata is cleared).
            let rest = others
            if (!others.some((m) => m.admin)) {
              const heir = others.find((m) => m.state === 'member')
              rest = heir ? others.map((m) => (m === heir ? { ...m, admin: true } : m)) : []
            }
            updated = { ...updated, ...nextMeta(row, () => rest), publish: true }
          }
          store.transaction(() => {
            store.put(updated)
            if (!updated.publish) for (const admin of row.members.filter((m) => m.admin)) sendMembership(account, admin.user, row.id, 'leave')
          })
          follow(row.id, row.membership)
          publishMeta(row.id)
          emit(row.id)
          return summary(store.get(row.id)!)
        },
        async remove(group, user) {
          const who = NameSchema.parse(user)
          const row = asAdmin(group)
          if (who === me()) throw new ParleyError('To remove yourself, leave the group.', 'invalid-argument')
          if (!findMember(row, who)) throw new ParleyError(`${who} is not in the group.`, 'not-found')
          return change(row, nextMeta(row, (ms) => ms.filter((m) => m.user !== who)), () => ctx.publisher.cancel(OWNER, inviteRef(row.id, who)))
        },
        async rename(group, name) {
          const row = asAdmin(group)
          const newName = GroupNameSchema.parse(name)
          return change(row, nextMeta(row, (ms) => ms, { name: newName }))
        },
        async setAvatar(group, image) {
          asAdmin(group)
          const avatar = await avatarOf(image)
          const row = asAdmin(group) // again: the picture took a while
          return change(row, nextMeta(row, (ms) => ms, { avatar }))
        },
        async addAdmin(group, user) {
          const who = NameSchema.parse(user)
          const row = asAdmin(group)
          const person = findMember(row, who)
          if (person?.state !== 'member') throw new ParleyError(`${who} is not a member of the group (an invitee must accept first).`)
          if (person.admin) return summary(row)
          return change(row, nextMeta(row, (ms) => ms.map((m) => (m.user === who ? { ...m, admin: true } : m))))
        },
        async setMuted(group, muted) {
          const row = find(group)
          store.put({ ...row, muted: z.boolean().parse(muted), updatedAt: row.updatedAt })
          emit(row.id)
          return summary(store.get(row.id)!)
        },
        async receiptCounts(messageId) {
          const id = MessageIdSchema.parse(messageId)
          const m = store.message(id)
          if (!m || m.sender !== me()) throw new ParleyError('That is not a group message of yours.', 'not-found')
          return store.counts(id, m.groupId, m.members ?? 0)
        },
      },
    }
  },
})
