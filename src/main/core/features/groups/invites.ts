import type { IPublishPacket } from 'mqtt'
import { inboxTopic } from '../../../../shared/protocol/topics'
import type { Account } from '../../kernel/feature'
import type { AfterCommit } from '../../mqtt/router'
import { envelope, newMessageId } from '../../protocol/codec'
import { decodeInbox } from '../../protocol/inbox'
import type { GroupsCore } from './core'
import { findMember, isAdmin, nextMeta } from './meta'

/** Invites and answers go through the outbox (an invite is re-offered until answered). */
export const OWNER = 'groups'

export type MembershipAction = 'invite' | 'accept' | 'decline' | 'leave'

/** One outbox entry per invitee and group, so a new invite replaces an old one and an answer confirms it. */
export function inviteRef(group: string, user: string): string {
  return `invite:${group}:${user}`
}

/**
 * Invites (`R/{to}/Inbox/Group/{from}`) and the answers to them. An invite to me
 * is held as 'checking' until the group's metadata confirms it; answers to me as
 * an admin go into the next version of the metadata.
 */
export class GroupInvites {
  private readonly checks = new Map<string, NodeJS.Timeout>()
  /** An invite waits this long for metadata that lists me (it may cross the admin's publish): a few seconds. */
  private readonly checkMs: number

  constructor(private readonly core: GroupsCore) {
    this.checkMs = Math.min(10_000, Math.max(1_500, core.ctx.tuning.reofferBaseMs * 5))
    core.ctx.publisher.register(OWNER, { failed: (ref, reason) => core.ctx.log.warn('a group invite or answer was refused', { ref, reason }) })
  }

  send(account: Account, to: string, group: string, action: MembershipAction, name?: string): void {
    const { ctx } = this.core
    const topic = inboxTopic(account.root, 'Group', to, account.user)
    const e = envelope('group-membership', account.user, { group, action, ...(name ? { name } : {}) }, { dev: account.deviceId })
    const ref = action === 'invite' ? inviteRef(group, to) : newMessageId()
    if (action === 'invite') ctx.publisher.cancel(OWNER, ref) // a new invite replaces an old one
    // Invites are offered again until answered (the invitee may have no broker session yet).
    ctx.publisher.enqueue({ owner: OWNER, ref, topic, payload: ctx.codec.encode(e, topic), reoffer: action === 'invite' })
  }

  /** No more offers of my invite to `user` (removed before answering). */
  withdraw(group: string, user: string): void {
    this.core.ctx.publisher.cancel(OWNER, inviteRef(group, user))
  }

  /** Invites to me, and answers to me as an admin. */
  handle(account: Account, packets: readonly IPublishPacket[]): AfterCommit {
    const { ctx, store } = this.core
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
          this.core.follow(group, row?.membership ?? null)
          this.scheduleCheck(group)
        })
        continue
      }
      // An answer to an invite of mine, or a member leaving: admins apply it to the metadata.
      if (!row || row.membership !== 'member' || !isAdmin(row, account.user)) {
        this.core.drop(`a group ${action}`, packet.topic, `I am not an admin of ${group}`)
        continue
      }
      const person = findMember(row, from)
      if (action !== 'leave') ctx.publisher.confirm(OWNER, inviteRef(group, from))
      if (!person || (action !== 'leave' && person.state !== 'invited')) continue // already applied (another admin, or a repeat)
      const next = nextMeta(row, (ms) => (action === 'accept' ? ms.map((m) => (m.user === from ? { ...m, state: 'member' as const } : m)) : ms.filter((m) => m.user !== from)))
      store.put({ ...row, ...next, publish: true, updatedAt: now })
      after.push(() => {
        this.core.publishMeta(group)
        this.core.emit(group)
      })
    }
    if (after.length) return () => after.forEach((f) => f())
  }

  /** Invites still unconfirmed (from before a restart) get their deadline again. */
  checkPending(): void {
    for (const row of this.core.store.all()) if (row.membership === 'checking') this.scheduleCheck(row.id)
  }

  close(): void {
    for (const t of this.checks.values()) clearTimeout(t)
    this.checks.clear()
  }

  /** An invite whose group never confirms it is dropped, with the reason. */
  private scheduleCheck(group: string): void {
    if (this.checks.has(group)) return
    this.checks.set(
      group,
      setTimeout(() => {
        this.checks.delete(group)
        const row = this.core.store.get(group)
        if (row?.membership !== 'checking') return
        this.core.ctx.log.warn('dropped a group invite', {
          group,
          from: row.invitedBy,
          reason: row.version === 0 ? 'no such group: it has no metadata' : 'the group’s metadata does not list me, or not the inviter as an admin',
        })
        this.core.store.remove(group)
        this.core.follow(group, 'checking')
      }, this.checkMs),
    )
  }
}
