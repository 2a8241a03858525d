import { groupTopic } from '../../../../shared/protocol/topics'
import type { Account, FeatureContext } from '../../kernel/feature'
import { envelope } from '../../protocol/codec'
import type { GroupsCore } from './core'
import { findMember, metaProblem, type GroupMeta } from './meta'
import type { GroupRow, GroupStore, StoredMembership } from './store'

/** What metadata in one batch changed, told after the commit. */
export interface MetaChanges {
  changed: Set<string>
  /** Groups whose membership changed, with the one before (their subscription moves). */
  moves: [string, StoredMembership | null][]
  /** Invites that are void now. */
  gone: string[]
}

/** Publishes the version I made, retained; what does not reach the broker goes on the next connection. */
export function publishMeta(ctx: Pick<FeatureContext, 'account' | 'connected' | 'codec' | 'publisher' | 'log'>, store: GroupStore, id: string): void {
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
 * Takes the metadata on `R/{group}` into my copy if it is a newer version by an
 * admin, and moves my membership with it: an invite is confirmed or withdrawn, a
 * member removed; an empty payload closes the group.
 */
export function reconcileMeta(core: GroupsCore, account: Account, row: GroupRow, topic: string, payload: Uint8Array, now: number, out: MetaChanges): void {
  const { ctx, store } = core
  if (payload.byteLength === 0) {
    // The group was closed (its last member left): an invite to it is void; members keep their history.
    if (row.membership === 'invited' || row.membership === 'checking') {
      core.drop('a group invite', topic, 'the group was closed')
      store.remove(row.id)
      if (row.membership === 'invited') out.gone.push(row.id)
      out.moves.push([row.id, row.membership])
    }
    return
  }
  const from = claimedSender(payload)
  const decoded = from ? ctx.codec.decode(topic, payload, 'group-meta', from) : ({ ok: false, reason: 'payload is not a Parley envelope' } as const)
  if (!decoded.ok) {
    core.drop('group metadata', topic, decoded.reason)
    return
  }
  const b = decoded.envelope.body
  const incoming: GroupMeta = { name: b.name, avatar: b.avatar ?? null, members: b.members, version: b.version }
  // The same version again is normal (my own publish coming back, a new subscription's retained copy).
  if (row.version > 0 && incoming.version === row.version) return
  const problem = metaProblem(row.version > 0 ? row : null, incoming, decoded.envelope.from, row.membership === 'checking' ? row.invitedBy : null)
  if (problem) {
    core.drop('group metadata', topic, problem)
    return
  }
  const listed = !!findMember(incoming, account.user)
  let membership = row.membership
  if (row.membership === 'checking' && listed) membership = 'invited'
  else if (row.membership === 'member' && !listed) membership = 'removed'
  else if (row.membership === 'invited' && !listed) {
    // The invite was withdrawn.
    store.remove(row.id)
    out.gone.push(row.id)
    out.moves.push([row.id, row.membership])
    return
  }
  const next: GroupRow = { ...row, ...incoming, membership, publish: false, updatedAt: now }
  store.put(next)
  if (membership === 'member') core.ensureConversation(next)
  if (membership !== row.membership) out.moves.push([row.id, row.membership])
  out.changed.add(row.id)
}
