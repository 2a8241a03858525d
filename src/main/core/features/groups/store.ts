import type Database from 'better-sqlite3'
import { z } from 'zod'
import type { GroupMembership, GroupReceiptCounts, GroupSummary } from '../../../../shared/contract'
import { GroupPersonSchema } from '../../../../shared/protocol/envelope'
import { conversationId } from '../../../../shared/protocol/conversation-id'
import { isAdmin, sortMembers, type GroupMeta } from './meta'

/** Where I stand, including 'checking': an invite not yet confirmed by the group's metadata (not shown). */
export type StoredMembership = GroupMembership | 'checking'

export interface GroupRow extends GroupMeta {
  id: string
  membership: StoredMembership
  invitedBy: string | null
  muted: boolean
  /** A version I made still has to reach the broker. */
  publish: boolean
  updatedAt: number
}

interface Raw {
  id: string
  name: string
  avatar: string | null
  version: number
  members: string
  membership: StoredMembership
  invited_by: string | null
  muted: number
  publish: number
  updated_at: number
}

const MembersJson = z.array(GroupPersonSchema)

function toRow(r: Raw): GroupRow {
  return {
    id: r.id,
    name: r.name,
    avatar: r.avatar,
    version: r.version,
    members: MembersJson.parse(JSON.parse(r.members)),
    membership: r.membership,
    invitedBy: r.invited_by,
    muted: r.muted === 1,
    publish: r.publish === 1,
    updatedAt: r.updated_at,
  }
}

export function toSummary(row: GroupRow, me: string): GroupSummary {
  return {
    id: row.id,
    conversationId: conversationId('group', row.id),
    name: row.name,
    avatar: row.avatar,
    members: sortMembers(row.members),
    version: row.version,
    membership: row.membership === 'checking' ? 'invited' : row.membership,
    admin: row.membership === 'member' && isAdmin(row, me),
    invitedBy: row.invitedBy,
    muted: row.muted,
    updatedAt: row.updatedAt,
  }
}

export class GroupStore {
  private readonly q

  constructor(private readonly db: Database.Database) {
    this.q = {
      get: db.prepare(`SELECT * FROM groups WHERE id = ?`),
      all: db.prepare(`SELECT * FROM groups ORDER BY updated_at DESC, id`),
      put: db.prepare(
        `INSERT INTO groups (id, name, avatar, version, members, membership, invited_by, muted, publish, updated_at)
         VALUES (@id, @name, @avatar, @version, @members, @membership, @invitedBy, @muted, @publish, @updatedAt)
         ON CONFLICT(id) DO UPDATE SET name = excluded.name, avatar = excluded.avatar, version = excluded.version,
           members = excluded.members, membership = excluded.membership, invited_by = excluded.invited_by,
           muted = excluded.muted, publish = excluded.publish, updated_at = excluded.updated_at`,
      ),
      remove: db.prepare(`DELETE FROM groups WHERE id = ?`),
      published: db.prepare(`UPDATE groups SET publish = 0 WHERE id = ? AND version = ?`),
      toPublish: db.prepare(`SELECT * FROM groups WHERE publish = 1`),
      addMessage: db.prepare(`INSERT INTO group_messages (id, group_id, sender, members) VALUES (?, ?, ?, ?) ON CONFLICT(id) DO NOTHING`),
      message: db.prepare(`SELECT id, group_id AS groupId, sender, members FROM group_messages WHERE id = ?`),
      receipt: db.prepare(
        `INSERT INTO group_receipts (message_id, member, read) VALUES (?, ?, ?)
         ON CONFLICT(message_id, member) DO UPDATE SET read = max(read, excluded.read) WHERE read < excluded.read`,
      ),
      counts: db.prepare(`SELECT count(*) AS delivered, coalesce(sum(read), 0) AS read FROM group_receipts WHERE message_id = ?`),
    }
  }

  get(id: string): GroupRow | null {
    const r = this.q.get.get(id) as Raw | undefined
    return r ? toRow(r) : null
  }

  all(): GroupRow[] {
    return (this.q.all.all() as Raw[]).map(toRow)
  }

  put(row: GroupRow): void {
    this.q.put.run({ ...row, members: JSON.stringify(sortMembers(row.members)), muted: row.muted ? 1 : 0, publish: row.publish ? 1 : 0 })
  }

  remove(id: string): void {
    this.q.remove.run(id)
  }

  /** The broker has `version` (an older one acknowledged late does not clear a newer one). */
  markPublished(id: string, version: number): void {
    this.q.published.run(id, version)
  }

  toPublish(): GroupRow[] {
    return (this.q.toPublish.all() as Raw[]).map(toRow)
  }

  /** Remembers who sent a group message (and, for mine, how many members it should reach). */
  addMessage(id: string, groupId: string, sender: string, members: number | null): void {
    this.q.addMessage.run(id, groupId, sender, members)
  }

  message(id: string): { id: string; groupId: string; sender: string; members: number | null } | null {
    return (this.q.message.get(id) as { id: string; groupId: string; sender: string; members: number | null } | undefined) ?? null
  }

  /** Records that `member` has (or read) message `id`; true when that is news. */
  receipt(id: string, member: string, read: boolean): boolean {
    return this.q.receipt.run(id, member, read ? 1 : 0).changes > 0
  }

  counts(id: string, groupId: string, members: number): GroupReceiptCounts {
    const c = this.q.counts.get(id) as { delivered: number; read: number }
    return { messageId: id, groupId, members, delivered: Math.min(c.delivered, members), read: Math.min(c.read, members) }
  }

  transaction<T>(fn: () => T): T {
    return this.db.inTransaction ? fn() : this.db.transaction(fn)()
  }
}
