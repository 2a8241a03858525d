/**
 * Writes a whole history into a data directory that Parley opens as it is (the
 * web host, or the CLI with --user/--data-dir): settings.json as set-up writes it,
 * and history.db created by the engine's own store opening and migrations, then
 * filled directly (prepared statements, big transactions) because a million
 * messages through the receive path would take many minutes.
 *
 * Messages are written in time order with their time keys computed here
 * (rowid = messageKeyBase(ts) + n, time-key.ts), as the messages store would give them.
 */
import { existsSync, mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import type Database from 'better-sqlite3'
import { ALL_MIGRATIONS } from '../../src/main/core/features'
import { MESSAGE_KEY_SLOTS, messageKeyBase } from '../../src/main/core/features/messages/time-key'
import { saveSettings } from '../../src/main/core/kernel/settings-file'
import { openDatabase } from '../../src/main/core/store/open-database'
import { conversationId, type ConversationKind } from '../../src/shared/protocol/conversation-id'
import { DEFAULT_GROUP_ID, DEFAULT_ROOT, type Settings } from '../../src/shared/schemas'
import { Rng } from './rng'
import { messageText, RARE_WORDS, rareLine } from './text'

export interface GenerateOptions {
  dataDir: string
  /** Messages in all. */
  messages: number
  /** Whose history it is. */
  user?: string
  /** How many people I have a direct conversation with. */
  conversations?: number
  seed?: number
  /** Messages of the one big direct conversation (with the first peer); 0 for none. */
  bigConversation?: number
  /** The broker settings.json names (nothing connects while generating). */
  brokerUrl?: string
  /** The newest message's time (ms); the history spans about two years before it. */
  endTs?: number
  /** Rows per transaction. */
  batch?: number
  onProgress?: (written: number, total: number) => void
}

export interface GeneratedConversation {
  id: string
  kind: ConversationKind
  title: string
  messages: number
}

export interface GeneratedHistory {
  dataDir: string
  user: string
  messages: number
  conversations: GeneratedConversation[]
  /** The big conversation's id (null when none was asked for). */
  bigConversation: string | null
  /** Each rare word and the number of messages that contain it. */
  rareWords: Record<string, number>
  /** People who wrote to me (dm peers), for `from:` filters. */
  peers: string[]
  firstTs: number
  lastTs: number
  ms: number
}

const FIRST_NAMES = ['alice', 'bob', 'carol', 'dave', 'erin', 'frank', 'grace', 'heidi', 'ivan', 'judy', 'mallory', 'niaj', 'olivia', 'peggy', 'rupert', 'sybil', 'trent', 'victor', 'walter', 'yuki']
const TWO_YEARS_MS = 2 * 365 * 24 * 3600_000
/** 2026-11-01T00:00:00Z: fixed, so a seed always means the same history. */
const DEFAULT_END = Date.UTC(2026, 10, 1)

/** A group id as groups are named (grp_ + 20 base32 characters), from the seeded RNG. */
function groupIdFrom(r: Rng): string {
  const abc = 'abcdefghijklmnopqrstuvwxyz234567'
  return `grp_${Array.from({ length: 20 }, () => abc[r.int(32)]).join('')}`
}

function peerNames(n: number): string[] {
  return Array.from({ length: n }, (_, i) => (i < FIRST_NAMES.length ? FIRST_NAMES[i]! : `${FIRST_NAMES[i % FIRST_NAMES.length]}${Math.floor(i / FIRST_NAMES.length) + 1}`))
}

interface Plan {
  id: string
  kind: ConversationKind
  title: string
  /** Who writes in it besides me (for a system conversation, the publisher). */
  senders: string[]
  /** Whether I write in it. */
  mine: boolean
  weight: number
  count: number
}

function plans(r: Rng, peers: string[]): Plan[] {
  const out: Plan[] = []
  // Direct conversations: a few people I talk to a lot, many I rarely do (Zipf-like).
  peers.forEach((p, i) => out.push({ id: conversationId('dm', p), kind: 'dm', title: p, senders: [p], mine: true, weight: 70 / (i + 1), count: 0 }))
  const dmTotal = out.reduce((s, p) => s + p.weight, 0)
  for (const p of out) p.weight = (p.weight / dmTotal) * 0.7
  const groups = ['Team', 'Family', 'Climbing club', 'Book club']
  groups.forEach((title, i) => {
    const members = peers.filter((_, j) => j % (i + 2) === 0).slice(0, 8)
    out.push({ id: conversationId('group', groupIdFrom(r)), kind: 'group', title, senders: members.length ? members : [peers[0]!], mine: true, weight: 0.2 / groups.length, count: 0 })
  })
  out.push({ id: conversationId('room', 'team/coding_issues'), kind: 'room', title: 'team/coding_issues', senders: ['build-bot', ...peers.slice(0, 6)], mine: false, weight: 0.07, count: 0 })
  out.push({ id: conversationId('system', 'eu'), kind: 'system', title: 'eu', senders: ['System'], mine: false, weight: 0.03, count: 0 })
  return out
}

/** Picks an index by weight (cumulative table, binary search). */
function weightedPicker(weights: readonly number[]): (x: number) => number {
  const cum: number[] = []
  let s = 0
  for (const w of weights) cum.push((s += w))
  return (x) => {
    const t = x * s
    let lo = 0
    let hi = cum.length - 1
    while (lo < hi) {
      const mid = (lo + hi) >> 1
      if (cum[mid]! > t) hi = mid
      else lo = mid + 1
    }
    return lo
  }
}

/** The rare words' counts for a history of `total` messages (all of them from 100k up). */
export function rareWordCounts(total: number): Record<string, number> {
  const scale = Math.min(1, total / 100_000)
  return Object.fromEntries(Object.entries(RARE_WORDS).map(([w, n]) => [w, Math.max(1, Math.round(n * scale))]))
}

function writeSettings(dataDir: string, user: string, brokerUrl: string, r: Rng): void {
  const hex = (n: number) => Array.from({ length: n }, () => r.int(16).toString(16)).join('')
  const settings: Settings = {
    version: 1,
    user,
    broker: { kind: 'url', url: brokerUrl },
    root: DEFAULT_ROOT,
    groupId: DEFAULT_GROUP_ID,
    deviceId: hex(16),
    clientSecret: hex(32),
  }
  saveSettings(join(dataDir, 'settings.json'), settings)
}

function writeFeatureRows(db: Database.Database, user: string, list: readonly Plan[], firstTs: number): void {
  const ensure = db.prepare(`INSERT INTO conversations (id, kind, peer, title, folder, unread, updated_at, created_at) VALUES (?, ?, ?, ?, 'inbox', 0, ?, ?)`)
  const group = db.prepare(
    `INSERT INTO groups (id, name, avatar, version, members, membership, invited_by, muted, publish, updated_at) VALUES (?, ?, NULL, 1, ?, 'member', NULL, 0, 0, ?)`,
  )
  for (const p of list) {
    const address = p.id.slice(p.id.indexOf(':') + 1)
    ensure.run(p.id, p.kind, address, p.title, firstTs, firstTs)
    if (p.kind === 'group') {
      const members = [{ user, state: 'member', admin: true }, ...p.senders.map((s) => ({ user: s, state: 'member', admin: false }))]
      group.run(address, p.title, JSON.stringify(members), firstTs)
    }
    if (p.kind === 'room') db.prepare(`INSERT INTO rooms (filter, qos, joined_at) VALUES (?, 1, ?)`).run(address, firstTs)
    if (p.kind === 'system') db.prepare(`INSERT INTO broadcast_regions (region, since) VALUES (?, ?)`).run(address, firstTs)
  }
  // Whose history this is, as set-up records it (account-record.ts).
  db.prepare(`INSERT OR REPLACE INTO prefs (key, value) VALUES ('account.owner', ?)`).run(JSON.stringify(user))
}

/**
 * For this connection only: no waiting for the disk at commits (a crash while
 * generating means generating again) and a large page cache. Parley's own
 * connections keep their settings (open-database.ts).
 */
export function bulkWriting(db: Database.Database): void {
  db.pragma('synchronous = OFF')
  db.pragma('cache_size = -262144')
}

/** Fills `dataDir` (which must not hold a history yet) and returns what it wrote. */
export function generateHistory(o: GenerateOptions): GeneratedHistory {
  const started = performance.now()
  const user = o.user ?? 'me'
  const total = Math.max(0, Math.trunc(o.messages))
  const big = Math.min(total, Math.max(0, Math.trunc(o.bigConversation ?? 0)))
  const r = new Rng(o.seed ?? 1)
  const batch = o.batch ?? 10_000
  mkdirSync(o.dataDir, { recursive: true })
  const dbPath = join(o.dataDir, 'history.db')
  if (existsSync(dbPath)) throw new Error(`${o.dataDir} already holds a history; give an empty or new directory.`)
  writeSettings(o.dataDir, user, o.brokerUrl ?? 'mqtt://127.0.0.1:1883', r)

  const peers = peerNames(Math.max(1, o.conversations ?? 50))
  const list = plans(r, peers)
  const bigPlan = big > 0 ? list[0]! : null
  // With a big conversation, it gets exactly its count: ordinary picks skip it.
  const pickOther = weightedPicker(list.map((p) => (p === bigPlan ? 0 : p.weight)))
  const endTs = o.endTs ?? DEFAULT_END
  const firstTs = endTs - TWO_YEARS_MS
  // A little under the span, so the last message lands before endTs without clamping.
  const meanGap = total > 1 ? (TWO_YEARS_MS * 0.99) / total : 1000

  // Which messages carry a rare word: chosen up front, so each count is exact.
  const rare = rareWordCounts(total)
  const rareAt = new Map<number, string>()
  for (const [word, n] of Object.entries(rare)) {
    let placed = 0
    while (placed < n && rareAt.size < total) {
      const i = r.int(total)
      if (rareAt.has(i)) continue
      rareAt.set(i, word)
      placed++
    }
  }

  const { db } = openDatabase(dbPath, ALL_MIGRATIONS)
  bulkWriting(db)
  const myDevice = 'gen-device'
  try {
    writeFeatureRows(db, user, list, firstTs)
    const insert = db.prepare(
      `INSERT INTO messages (rowid, id, conversation_id, sender, sender_device, direction, ts, seq, text, status, received_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, NULL, ?, ?, ?)`,
    )
    // Messages I sent in the last days are still only delivered; the rest are read. Everything received is seen.
    const deliveredAfter = endTs - 10 * 24 * 3600_000
    let ts = firstTs
    let lastTs = -1
    let n = 0
    let bigLeft = big
    let written = 0
    const writeBatch = db.transaction((from: number, to: number) => {
      for (let i = from; i < to; i++) {
        ts += Math.max(0, Math.round(r.exp(meanGap)))
        n = ts === lastTs ? n + 1 : 0
        // A millisecond's slots are all taken (never in practice): the next millisecond.
        if (n >= MESSAGE_KEY_SLOTS) [ts, n] = [ts + 1, 0]
        lastTs = ts
        // The big conversation gets exactly its share, spread evenly over the whole span.
        const left = total - i
        const target = bigPlan && r.next() * left < bigLeft ? bigPlan : list[pickOther(r.next())]!
        if (target === bigPlan) bigLeft--
        const out = target.mine && (target.kind === 'dm' ? r.next() < 0.5 : r.next() < 0.2)
        const sender = out ? user : r.pick(target.senders)
        const word = rareAt.get(i)
        const text = word ? rareLine(r, word) : messageText(r)
        const status = out ? (ts > deliveredAfter ? 'delivered' : 'read') : 'seen'
        insert.run(messageKeyBase(ts) + n, r.uuid(), target.id, sender, out ? myDevice : null, out ? 'out' : 'in', ts, text, status, ts)
        target.count++
      }
    })
    for (let from = 0; from < total; from += batch) {
      const to = Math.min(total, from + batch)
      writeBatch(from, to)
      written = to
      o.onProgress?.(written, total)
    }
    // Each conversation's activity time is its newest message (the list's order).
    db.exec(`UPDATE conversations SET updated_at = coalesce((SELECT max(ts) FROM messages WHERE conversation_id = conversations.id), updated_at)`)
    db.pragma('wal_checkpoint(TRUNCATE)')
    return {
      dataDir: o.dataDir,
      user,
      messages: total,
      conversations: list.map((p) => ({ id: p.id, kind: p.kind, title: p.title, messages: p.count })).filter((c) => c.messages > 0),
      bigConversation: bigPlan?.id ?? null,
      rareWords: rare,
      peers,
      firstTs,
      lastTs: Math.max(lastTs, firstTs),
      ms: performance.now() - started,
    }
  } finally {
    db.close()
  }
}
