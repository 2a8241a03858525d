/**
 * The search core over a real in-memory history: the stores as the engine wires
 * them, the indexer that empties the queue, and a `find` that plans what was typed
 * and runs it through the Searcher exactly as the search service does.
 */
import type Database from 'better-sqlite3'
import type { ConversationStore } from '../../../../../src/main/core/features/conversations/store'
import type { MessageStore, NewMessage } from '../../../../../src/main/core/features/messages/store'
import { SearchIndexer } from '../../../../../src/main/core/features/search/indexer'
import { planSearch } from '../../../../../src/main/core/features/search/query'
import { Searcher, type FoundPage, type SearchBounds } from '../../../../../src/main/core/features/search/searcher'
import { msg, openStores } from '../stores'

export interface SearchRig {
  db: Database.Database
  messages: MessageStore
  conversations: ConversationStore
  indexer: SearchIndexer
  searcher: Searcher
  /** Stores messages through the real insert path and indexes the queue. */
  put(...texts: (string | Partial<NewMessage> & { peer?: string })[]): NewMessage[]
  /** One page of what `text` finds (newest first). */
  find(text: string, bounds?: Partial<SearchBounds>, limit?: number): FoundPage
  /** The texts of every hit, newest first, following `next` to the end. */
  texts(text: string, bounds?: Partial<SearchBounds>): string[]
}

export function searchRig(): SearchRig {
  const { db, messages, conversations } = openStores()
  const indexer = new SearchIndexer(db)
  const searcher = new Searcher(db)
  const find = (text: string, bounds: Partial<SearchBounds> = {}, limit = 50): FoundPage =>
    searcher.find(planSearch(text), { conversationId: null, sender: null, belowKey: null, ...bounds }, limit)
  return {
    db,
    messages,
    conversations,
    indexer,
    searcher,
    put(...items) {
      const batch = items.map((i) => msg(typeof i === 'string' ? { text: i } : i))
      messages.insertMany(batch)
      indexer.catchUp()
      return batch
    },
    find,
    texts(text, bounds = {}) {
      const out: string[] = []
      let belowKey: number | null = null
      for (let guard = 0; guard < 1000; guard++) {
        const page = find(text, { ...bounds, belowKey })
        out.push(...page.rows.map((r) => r.text))
        if (page.nextKey === null) return out
        belowKey = page.nextKey
      }
      throw new Error('paging never ended')
    },
  }
}

/** A small deterministic PRNG (mulberry32): the fuzz is the same on every run. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}
