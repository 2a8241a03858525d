import type Database from 'better-sqlite3'
import { messageKeyBase, type MessageRow } from '../messages/api'
import { fold } from './fold'
import { Partitions } from './partitions'
import { ftsPhrase, type SearchPlan } from './query'
import { conversationTag, senderTag } from './scope'

/** A message the search found, with its key (the keyset cursor). */
export interface FoundRow extends MessageRow {
  k: number
}

export interface SearchBounds {
  conversationId: string | null
  sender: string | null
  /** Keyset: only rows with a smaller key (the last key of the previous page). */
  belowKey: number | null
}

export interface FoundPage {
  rows: FoundRow[]
  /** The key to continue below; null when everything was seen. */
  nextKey: number | null
}

const COLUMNS = 'm.rowid AS k, m.id, m.conversation_id, m.sender, m.direction, m.ts, m.text, m.status, m.error'
/** Candidates looked at per request when some must be checked in JS: the answer stays fast, and `next` goes on from there. */
const CANDIDATE_BUDGET = 10_000
const NO_KEY = Number.MAX_SAFE_INTEGER

/**
 * Runs a search plan: through the index whenever the plan has anything it can look
 * up (words of 3+ characters, `in:`, `from:`, has:link), walking it newest first by
 * key between the date bounds, quarter table by quarter table from the newest, else (only 1-2 character words or dates) over the
 * messages themselves, newest first, in bounded steps.
 */
export class Searcher {
  private readonly scan
  private readonly readers = new Map<string, Database.Statement>()

  constructor(
    private readonly db: Database.Database,
    private readonly partitions: Partitions = new Partitions(db),
  ) {
    this.scan = db.prepare(`SELECT ${COLUMNS} FROM messages m WHERE m.rowid >= ? AND m.rowid < ? ORDER BY m.rowid DESC LIMIT ?`)
  }

  /** One quarter's query. CROSS JOIN keeps the index as the outer loop: it yields keys newest first and the plan never sorts. */
  private reader(table: string): Database.Statement {
    let st = this.readers.get(table)
    if (!st) {
      st = this.db.prepare(
        `SELECT ${COLUMNS} FROM ${table} CROSS JOIN messages m ON m.rowid = ${table}.rowid
         WHERE ${table} MATCH ? AND ${table}.rowid >= ? AND ${table}.rowid < ?
         ORDER BY ${table}.rowid DESC LIMIT ?`,
      )
      this.readers.set(table, st)
    }
    return st
  }

  /** The FTS5 expression of a plan, or null when the index cannot narrow it. */
  static expression(plan: SearchPlan, bounds: Pick<SearchBounds, 'conversationId' | 'sender'>): string | null {
    const parts = plan.indexed.map((t) => `{body}: ${ftsPhrase(t)}`)
    if (plan.hasLink) parts.push(`{body}: ("://" OR "www." OR "mailto:")`)
    if (bounds.conversationId !== null) parts.push(`{scope}: ${ftsPhrase(conversationTag(bounds.conversationId))}`)
    if (bounds.sender !== null) parts.push(`{scope}: ${ftsPhrase(senderTag(bounds.sender))}`)
    return parts.length ? parts.join(' AND ') : null
  }

  /** Candidate rows newest first between [low, high): the messages themselves, or the index quarter by quarter. */
  private *candidates(expression: string | null, low: number, high: number): Generator<FoundRow> {
    if (expression === null) {
      yield* this.scan.iterate(low, high, CANDIDATE_BUDGET) as IterableIterator<FoundRow>
      return
    }
    for (const p of this.partitions.all()) {
      if (p.low >= high || p.high <= low) continue
      yield* this.reader(p.name).iterate(expression, Math.max(low, p.low), Math.min(high, p.high), CANDIDATE_BUDGET) as IterableIterator<FoundRow>
    }
  }

  find(plan: SearchPlan, bounds: SearchBounds, limit: number): FoundPage {
    const low = plan.after === null ? 0 : messageKeyBase(plan.after)
    const high = Math.min(bounds.belowKey ?? NO_KEY, plan.before === null ? NO_KEY : messageKeyBase(plan.before))
    if (high <= low) return { rows: [], nextKey: null }
    const expression = Searcher.expression(plan, bounds)
    const sender = bounds.sender?.toLowerCase() ?? null
    const accept = (r: FoundRow): boolean => {
      if (bounds.conversationId !== null && r.conversation_id !== bounds.conversationId) return false
      if (sender !== null && r.sender.toLowerCase() !== sender) return false
      if (!plan.short.length) return true
      const text = fold(r.text)
      return plan.short.every((t) => text.includes(t))
    }
    // Queries read lazily as far as needed: the page is full, or the budget of candidates is spent.
    // Restarting one every few hundred candidates cost a few ms each time (FTS5 reloads the term's doclists
    // to walk them backwards): a common word with a rare short one ("meeting 12") held the thread ~350 ms.
    const rows: FoundRow[] = []
    let looked = 0
    let lastKey = high
    for (const r of this.candidates(expression, low, high)) {
      looked++
      lastKey = r.k
      if (accept(r)) rows.push(r)
      // Leaving the loop early ends the generator, which resets the statement (the iterator's return()).
      if (rows.length > limit) return { rows: rows.slice(0, limit), nextKey: rows[limit - 1]!.k }
      if (looked >= CANDIDATE_BUDGET) return { rows, nextKey: lastKey }
    }
    return { rows, nextKey: null }
  }
}
