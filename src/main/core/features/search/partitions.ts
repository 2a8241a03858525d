import type Database from 'better-sqlite3'
import { MESSAGE_KEY_SLOTS, messageKeyBase } from '../messages/api'

/**
 * The index is one FTS5 table per calendar quarter (UTC) of message time. FTS5 walks
 * a term's hits from one end of the rowid range: a bound (`before:`, or the cursor of
 * a page far back) costs every hit it skips, about 10 ms per 150k at 1M messages. A
 * quarter holds a fraction of a history, so a bounded walk starts in the quarter of
 * its bound and skips only within it; an unbounded one reads the newest quarter first
 * and goes back one at a time until the page is full. (Months bounded the skips
 * further but made a rare word, found in none, cost a lookup in every one of them.)
 *
 * A quarter's table is made the first time a message of it is indexed. Times before
 * 2000 share the first quarter and times from 2100 on the last, so a sender's clock
 * cannot make more than 400 of them.
 */
const FIRST_QUARTER = 2000 * 4
const LAST_QUARTER = 2100 * 4 - 1
const PREFIX = 'message_index_q'

export interface Partition {
  /** Quarters since year 0 (UTC): year × 4 + quarter (0-3). */
  quarter: number
  name: string
  /** Keys of this quarter: [low, high). The first and last quarters are open-ended. */
  low: number
  high: number
}

function quarterOfTs(ts: number): number {
  const d = new Date(ts)
  return Math.min(LAST_QUARTER, Math.max(FIRST_QUARTER, d.getUTCFullYear() * 4 + Math.floor(d.getUTCMonth() / 3)))
}

/** The quarter a key belongs to (by its key, so a key spilled into the next millisecond stays consistent). */
export function quarterOfKey(key: number): number {
  return quarterOfTs(Math.floor(key / MESSAGE_KEY_SLOTS))
}

const quarterStart = (q: number): number => Date.UTC(Math.floor(q / 4), (q % 4) * 3, 1)

function partition(quarter: number): Partition {
  const low = quarter === FIRST_QUARTER ? 0 : messageKeyBase(quarterStart(quarter))
  const high = quarter === LAST_QUARTER ? Number.MAX_SAFE_INTEGER : messageKeyBase(quarterStart(quarter + 1))
  return { quarter, name: `${PREFIX}${quarter}`, low, high }
}

/** The quarter tables that exist, newest first; made on demand. */
export class Partitions {
  private list: Partition[] | null = null
  private seenSchema = -1
  private readonly listSql
  private readonly schemaVersion

  constructor(private readonly db: Database.Database) {
    this.listSql = db.prepare(`SELECT name FROM sqlite_schema WHERE type = 'table' AND name GLOB '${PREFIX}[0-9]*' AND sql LIKE 'CREATE VIRTUAL TABLE%'`)
    this.schemaVersion = db.prepare('PRAGMA schema_version').pluck()
  }

  /** Newest first; read again whenever the schema changed (another connection or instance made a quarter). */
  all(): readonly Partition[] {
    const version = this.schemaVersion.get() as number
    if (version !== this.seenSchema) {
      this.list = null
      this.seenSchema = version
    }
    if (!this.list) {
      this.list = (this.listSql.all() as { name: string }[])
        .map((r) => Number(r.name.slice(PREFIX.length)))
        .filter((q) => Number.isInteger(q) && q >= FIRST_QUARTER && q <= LAST_QUARTER)
        .map(partition)
        .sort((a, b) => b.quarter - a.quarter)
    }
    return this.list
  }

  /** The table for a key's quarter, made if it is not there yet (inside the caller's transaction). */
  forKey(key: number): Partition {
    const quarter = quarterOfKey(key)
    const known = this.all().find((p) => p.quarter === quarter)
    if (known) return known
    const p = partition(quarter)
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
