import type Database from 'better-sqlite3'
import { MESSAGE_KEY_SLOTS, messageKeyBase } from '../messages/api'

/**
 * The index is one FTS5 table per calendar month (UTC) of message time. FTS5 walks a
 * term's hits from one end of the rowid range: a bound (`before:`, or the cursor of a
 * page far back) costs every hit it skips, about 10 ms per 150k at 1M messages. A
 * month holds a few tens of thousands at most, so a bounded walk starts in the
 * month of its bound and skips only within it; an unbounded one reads the newest
 * month first and goes back a month at a time until the page is full.
 *
 * A month's table is made the first time a message of that month is indexed. Times
 * before 2000 share the first month and times from 2100 on the last, so a sender's
 * clock cannot make more than 1,200 of them.
 */
const FIRST_MONTH = 2000 * 12
const LAST_MONTH = 2100 * 12 - 1
const PREFIX = 'message_index_m'

export interface Partition {
  /** Months since year 0 (UTC): year × 12 + month. */
  month: number
  name: string
  /** Keys of this month: [low, high). The first and last months are open-ended. */
  low: number
  high: number
}

function monthOfTs(ts: number): number {
  const d = new Date(ts)
  return Math.min(LAST_MONTH, Math.max(FIRST_MONTH, d.getUTCFullYear() * 12 + d.getUTCMonth()))
}

/** The month a key belongs to (by its key, so a key spilled into the next millisecond stays consistent). */
export function monthOfKey(key: number): number {
  return monthOfTs(Math.floor(key / MESSAGE_KEY_SLOTS))
}

function partition(month: number): Partition {
  const low = month === FIRST_MONTH ? 0 : messageKeyBase(Date.UTC(Math.floor(month / 12), month % 12, 1))
  const high = month === LAST_MONTH ? Number.MAX_SAFE_INTEGER : messageKeyBase(Date.UTC(Math.floor((month + 1) / 12), (month + 1) % 12, 1))
  return { month, name: `${PREFIX}${month}`, low, high }
}

/** The month tables that exist, newest first; made on demand. */
export class Partitions {
  private list: Partition[] | null = null
  private seenSchema = -1
  private readonly listSql
  private readonly schemaVersion

  constructor(private readonly db: Database.Database) {
    this.listSql = db.prepare(`SELECT name FROM sqlite_schema WHERE type = 'table' AND name GLOB '${PREFIX}[0-9]*' AND sql LIKE 'CREATE VIRTUAL TABLE%'`)
    this.schemaVersion = db.prepare('PRAGMA schema_version').pluck()
  }

  /** Newest first; read again whenever the schema changed (another connection or instance made a month). */
  all(): readonly Partition[] {
    const version = this.schemaVersion.get() as number
    if (version !== this.seenSchema) {
      this.list = null
      this.seenSchema = version
    }
    if (!this.list) {
      this.list = (this.listSql.all() as { name: string }[])
        .map((r) => Number(r.name.slice(PREFIX.length)))
        .filter((m) => Number.isInteger(m) && m >= FIRST_MONTH && m <= LAST_MONTH)
        .map(partition)
        .sort((a, b) => b.month - a.month)
    }
    return this.list
  }

  /** The table for a key's month, made if it is not there yet (inside the caller's transaction). */
  forKey(key: number): Partition {
    const month = monthOfKey(key)
    const known = this.all().find((p) => p.month === month)
    if (known) return known
    const p = partition(month)
    // Contentless with deletes, trigram (any three characters in any script; Latin accents and case folded).
    this.db.exec(
      `CREATE VIRTUAL TABLE IF NOT EXISTS ${p.name} USING fts5(body, scope, content = '', contentless_delete = 1, tokenize = 'trigram remove_diacritics 1')`,
    )
    this.list = null
    return p
  }

  /** Forgets what it knows of the schema (after the tables changed under it: a wipe, a rollback). */
  refresh(): void {
    this.list = null
  }
}
