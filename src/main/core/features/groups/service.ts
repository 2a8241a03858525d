import { z } from 'zod'
import type { GroupMember, GroupSummary, GroupsService } from '../../../../shared/contract'
import { CreateGroupInputSchema, GroupNameSchema, MAX_GROUP_MEMBERS } from '../../../../shared/contract'
import { AvatarUploadSchema } from '../../../../shared/contract/profiles'
import { MessageIdSchema } from '../../../../shared/protocol/envelope'
import { GroupIdSchema } from '../../../../shared/protocol/group-id'
import { NameSchema } from '../../../../shared/protocol/names'
import { ParleyError } from '../../../../shared/rpc'
import type { ProfilesApi } from '../profiles/api'
import type { GroupsCore } from './core'
import { newGroupId } from './ids'
import type { GroupInvites } from './invites'
import { findMember, isAdmin, nextMeta, type GroupMeta } from './meta'
import type { GroupRow } from './store'

/** What I do with groups (the contract's GroupsService); an admin's change is a new version of the metadata. */
export function groupsService(core: GroupsCore, invites: GroupInvites, profiles: ProfilesApi): GroupsService {
  const { ctx, store, conversations, me, summary } = core
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
  /** Tells the UI of a group whose conversation I am in, and returns how it stands now. */
  const shown = (id: string): GroupSummary => {
    core.emit(id)
    conversations.announce(core.conversationOf(id))
    return summary(store.get(id)!)
  }
  /** Stores an admin's new version, runs `alsoInTx`, then publishes it and tells the UI. */
  const change = (row: GroupRow, next: GroupMeta, alsoInTx?: (r: GroupRow) => void): GroupSummary => {
    const updated: GroupRow = { ...row, ...next, publish: true, updatedAt: Date.now() }
    store.transaction(() => {
      store.put(updated)
      if (updated.membership === 'member') core.ensureConversation(updated)
      alsoInTx?.(updated)
    })
    core.publishMeta(row.id)
    return shown(row.id)
  }
  const avatarOf = async (image: z.input<typeof AvatarUploadSchema> | null | undefined): Promise<string | null> => {
    if (!image) return null
    const { base64 } = AvatarUploadSchema.parse(image)
    return profiles.makeAvatar(Buffer.from(base64, 'base64'))
  }

  return {
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
        core.ensureConversation(row)
        for (const user of invitees) invites.send(account, user, id, 'invite', name)
      })
      core.follow(id, null)
      core.publishMeta(id)
      return shown(id)
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
        store.transaction(() => invites.send(account, who, row.id, 'invite', row.name))
        return summary(row)
      }
      return change(row, nextMeta(row, (ms) => [...ms, { user: who, state: 'invited', admin: false }]), (r) => invites.send(account, who, r.id, 'invite', r.name))
    },
    async accept(group) {
      const account = ctx.requireAccount()
      const row = find(group)
      if (row.membership === 'member') return summary(row)
      if (row.membership !== 'invited') throw new ParleyError('There is no invite to that group.', 'not-found')
      const updated: GroupRow = { ...row, membership: 'member', updatedAt: Date.now() }
      store.transaction(() => {
        store.put(updated)
        core.ensureConversation(updated)
        for (const admin of row.members.filter((m) => m.admin)) invites.send(account, admin.user, row.id, 'accept')
      })
      core.follow(row.id, row.membership)
      return shown(row.id)
    },
    async decline(group) {
      const account = ctx.requireAccount()
      const row = store.get(GroupIdSchema.parse(group))
      if (!row || (row.membership !== 'invited' && row.membership !== 'checking')) throw new ParleyError('There is no invite to that group.', 'not-found')
      store.transaction(() => {
        store.remove(row.id)
        const admins = row.members.filter((m) => m.admin).map((m) => m.user)
        for (const admin of admins.length ? admins : [row.invitedBy].filter((u): u is string => !!u)) invites.send(account, admin, row.id, 'decline')
      })
      core.follow(row.id, row.membership)
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
        if (!updated.publish) for (const admin of row.members.filter((m) => m.admin)) invites.send(account, admin.user, row.id, 'leave')
      })
      core.follow(row.id, row.membership)
      core.publishMeta(row.id)
      core.emit(row.id)
      return summary(store.get(row.id)!)
    },
    async remove(group, user) {
      const who = NameSchema.parse(user)
      const row = asAdmin(group)
      if (who === me()) throw new ParleyError('To remove yourself, leave the group.', 'invalid-argument')
      if (!findMember(row, who)) throw new ParleyError(`${who} is not in the group.`, 'not-found')
      return change(row, nextMeta(row, (ms) => ms.filter((m) => m.user !== who)), () => invites.withdraw(row.id, who))
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
      core.emit(row.id)
      return summary(store.get(row.id)!)
    },
    async receiptCounts(messageId) {
      const id = MessageIdSchema.parse(messageId)
      const m = store.message(id)
      if (!m || m.sender !== me()) throw new ParleyError('That is not a group message of yours.', 'not-found')
      return store.counts(id, m.groupId, m.members ?? 0)
    },
  }
}
