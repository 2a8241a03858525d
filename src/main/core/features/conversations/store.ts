import type Database from 'better-sqlite3'
import type { ChatMessage, ConversationFolder, ConversationSummary } from '../../../../shared/contract'
import { parseConversationId, type ConversationKind } from '../../../../shared/protocol/conversation-id'

interface ConversationRow {
  id: string
  kind: ConversationKind
  peer: string
  title: string
  folder: ConversationFolder
  unread: number
  updated_at: number
  last_id: string | null
  last_text: string | null
  last_ts: number | null
  last_sender: string | null
  last_direction: 'in' | 'out' | null
  last_status: ChatMessage['status'] | null
}

const toSummary = (r: ConversationRow): ConversationSummary => ({
  id: r.id,
  kind: r.kind,
  peer: r.peer,
  title: r.title,
  folder: r.folder,
  unread: r.unread,
  updatedAt: r.updated_at,
  lastMessage:
    r.last_id === null
      ? null
      : { id: r.last_id, text: r.last_text!, ts: r.last_ts!, sender: r.last_sender!, direction: r.last_direction!, status: r.last_status! },
})

// The preview is the newest message of the conversation (the messages table is the messages feature's).
const SELECT = `
  SELECT c.id, c.kind, c.peer, c.title, c.folder, c.unread, c.updated_at,
         m.id AS last_id, m.text AS last_text, m.ts AS last_ts, m.sender AS last_sender,
         m.direction AS last_direction, m.status AS last_status
  FROM conversations c
  LEFT JOIN messages m ON m.rowid = (
    SELECT rowid FROM messages WHERE conversation_id = c.id ORDER BY ts DESC, id DESC LIMIT 1
  )`

/** Picks the folder of a conversation someone else started; null leaves it to the next (default: inbox). */
export type FolderRule = (c: { id: string; kind: ConversationSummary['kind']; peer: string }) => ConversationFolder | null

/** The conversations table: one row per conversation of any kind. */
export class ConversationStore {
  private readonly q
  private readonly rules: FolderRule[] = []

  constructor(db: Database.Database) {
    this.q = {
      ensure: db.prepare(
        `INSERT INTO conversations (id, kind, peer, title, folder, unread, updated_at, created_at)
         VALUES (?, ?, ?, ?, ?, 0, ?, ?) ON CONFLICT(id) DO NOTHING`,
      ),
      setFolder: db.prepare(`UPDATE conversations SET folder = ? WHERE id = ? AND folder <> ?`),
      setTitle: db.prepare(`UPDATE conversations SET title = ? WHERE id = ? AND title <> ?`),
      touch: db.prepare(`UPDATE conversations SET updated_at = max(updated_at, ?), unread = unread + ? WHERE id = ?`),
      remove: db.prepare(`DELETE FROM conversations WHERE id = ?`),
      get: db.prepare(`${SELECT} WHERE c.id = ?`),
      list: db.prepare(`${SELECT} ORDER BY c.updated_at DESC, c.id`),
      markRead: db.prepare(`UPDATE conversations SET unread = 0 WHERE id = ? AND unread <> 0`),
      count: db.prepare(`SELECT count(*) AS n FROM conversations`),
      peersOfKind: db.prepare(`SELECT peer FROM conversations WHERE kind = ?`),
    }
  }

  /** Adds a rule for conversations that someone else starts (message requests). */
  addFolderRule(rule: FolderRule): void {
    this.rules.push(rule)
  }

  /**
   * Creates the conversation if missing; returns true when it was created now.
   * `incoming`: someone else started it, so the folder rules choose where it goes.
   */
  ensure(id: string, now = Date.now(), incoming = false): boolean {
    const parsed = parseConversationId(id)
    if (!parsed) throw new Error(`not a conversation id: ${id}`)
    let folder: ConversationFolder = 'inbox'
    if (incoming) {
      for (const rule of this.rules) {
        const chosen = rule({ id, kind: parsed.kind, peer: parsed.address })
        if (chosen) {
          folder = chosen
          break
        }
      }
    }
    return this.q.ensure.run(id, parsed.kind, parsed.address, parsed.address, folder, now, now).changes > 0
  }

  /** Moves a conversation to `folder`; returns true when it moved. */
  setFolder(id: string, folder: ConversationFolder): boolean {
    return this.q.setFolder.run(folder, id, folder).changes > 0
  }

  /** Sets the title shown (a group's display name; a 1:1 conversation keeps the peer's name); true when it changed. */
  setTitle(id: string, title: string): boolean {
    return this.q.setTitle.run(title, id, title).changes > 0
  }

  /** Moves the conversation's activity time forward and adds to its unread count. */
  touch(id: string, ts: number, unread: number): void {
    this.q.touch.run(ts, unread, id)
  }

  /** Removes a conversation created by a batch that stored nothing in it. */
  remove(id: string): void {
    this.q.remove.run(id)
  }

  get(id: string): ConversationSummary | null {
    const row = this.q.get.get(id) as ConversationRow | undefined
    return row ? toSummary(row) : null
  }

  list(): ConversationSummary[] {
    return (this.q.list.all() as ConversationRow[]).map(toSummary)
  }

  /** Returns true when the conversation had unread messages. */
  markRead(id: string): boolean {
    return this.q.markRead.run(id).changes > 0
  }

  count(): number {
    return (this.q.count.get() as { n: number }).n
  }

  peers(kind: ConversationKind): string[] {
    return (this.q.peersOfKind.all(kind) as { peer: string }[]).map((r) => r.peer)
  }
}
