import { SearchQuerySchema, type SearchHit, type SearchIndexStatus, type SearchResults, type SearchService } from '../../../../shared/contract'
import { parseConversationId } from '../../../../shared/protocol/conversation-id'
import { ParleyError } from '../../../../shared/rpc'
import { defineFeature } from '../../kernel/feature'
import type { ConversationsApi } from '../conversations'
import { toMessage } from '../messages/api'
import { SearchIndexer } from './indexer'
import { Partitions } from './partitions'
import { migration0019 } from './migrations/0019_search_index'
import { planSearch, type SearchPlan } from './query'
import { Searcher, type FoundRow } from './searcher'
import { makeSnippet } from './snippet'

/**
 * What the indexer aims to spend per slice on the main thread, and the pause between
 * slices while a backlog lasts: short when nothing else is happening, long while
 * messages are streaming in, so a flood is received at nearly full speed and indexed
 * as it eases (at least ~15% of the thread keeps indexing meanwhile).
 */
const SLICE_MS = 8
const IDLE_GAP_MS = 4
const BUSY_GAP_MS = 45
/** Messages within this long count as "streaming in". */
const BUSY_WINDOW_MS = 100
/** After a message arrives, wait this long so a burst is indexed in one transaction. */
const SETTLE_MS = 30
/** A search first indexes a backlog up to this size, so what just arrived is found. */
const INDEX_BEFORE_SEARCH = 2000
/** Of a larger backlog (an upgrade, an import) only the newest this many: 2,000 held every keystroke's answer 20-90 ms. */
const NEWEST_BEFORE_SEARCH = 200
/**
 * With the queue empty, a look this often whether it filled without a `message` event
 * (an import stores history silently): one EXISTS on an empty table.
 */
const IDLE_CHECK_MS = 1000
/** At most this often a `searchIndex` event while a large backlog is indexed. */
const PROGRESS_EVERY_MS = 1000

const CURSOR = /^[0-9a-z]{1,12}$/

/** What other features (and the benches) may use. */
export interface SearchApi {
  readonly indexer: SearchIndexer
}

/**
 * Full-text search over every stored message of every kind (1:1, group, room,
 * broadcast), offline: a trigram FTS5 index fed off the receive path by a queue,
 * queries built so that no input is ever FTS syntax, newest hits first by walking
 * the index by time key, snippets only for the page asked for.
 */
export const searchFeature = defineFeature({
  name: 'search',
  dependsOn: ['conversations', 'messages'],
  migrations: [migration0019],
  create(ctx) {
    const conversations = ctx.use<ConversationsApi>('conversations')
    const partitions = new Partitions(ctx.db)
    const indexer = new SearchIndexer(ctx.db, partitions)
    const searcher = new Searcher(ctx.db, partitions)
    let timer: NodeJS.Timeout | null = null
    let closed = false
    let perSlice = 200
    let backlog = false
    let lastProgress = 0
    let lastMessageAt = 0

    const status = (): SearchIndexStatus => ({ indexed: indexer.indexed(), pending: indexer.pending() })

    /** Whether the timer set is only the idle look (a message due sooner replaces it). */
    let idleLook = false
    const schedule = (delay: number, idle = false): void => {
      if (closed || (timer && (!idleLook || idle))) return
      if (timer) clearTimeout(timer)
      idleLook = idle
      timer = setTimeout(slice, delay)
      timer.unref()
    }

    /** One slice of indexing, sized to take about SLICE_MS; more slices follow while the queue is not empty. */
    function slice(): void {
      timer = null
      if (closed) return
      if (idleLook && !indexer.hasPending()) {
        schedule(IDLE_CHECK_MS, true)
        return
      }
      const want = perSlice
      const started = performance.now()
      let n: number
      try {
        n = indexer.indexBatch(want)
      } catch (err) {
        ctx.log.error('search: indexing failed; will try again', { error: (err as Error).message })
        schedule(1000)
        return
      }
      const took = performance.now() - started
      if (n === want && took > 0) perSlice = Math.max(20, Math.min(5000, Math.round((want * SLICE_MS) / took)))
      if (n === want) {
        backlog = true
        const now = Date.now()
        if (now - lastProgress >= PROGRESS_EVERY_MS) {
          lastProgress = now
          ctx.events.emit('searchIndex', { pending: indexer.pending() })
        }
        schedule(performance.now() - lastMessageAt < BUSY_WINDOW_MS ? BUSY_GAP_MS : IDLE_GAP_MS)
      } else {
        if (backlog) {
          backlog = false
          ctx.events.emit('searchIndex', { pending: indexer.pending() })
        }
        schedule(IDLE_CHECK_MS, true)
      }
    }

    ctx.events.on('message', () => {
      lastMessageAt = performance.now()
      schedule(SETTLE_MS)
    })
    schedule(SETTLE_MS)

    /** The conversation `in:` names: an id, a 1:1 peer, or a title (the most recent wins). */
    const resolveIn = (name: string): string | null => {
      if (parseConversationId(name) && conversations.store.get(name)) return name
      const bare = name.replace(/^@/, '')
      const lower = bare.toLowerCase()
      const all = conversations.store.list()
      return (
        all.find((c) => c.kind === 'dm' && c.peer === bare)?.id ??
        all.find((c) => c.peer === bare || c.title.toLowerCase() === lower)?.id ??
        all.find((c) => c.peer.toLowerCase() === lower)?.id ??
        null
      )
    }

    const emptyResults = (plan: SearchPlan, scope: string | null): SearchResults => ({
      hits: [],
      next: null,
      pending: indexer.pending(),
      parsed: { terms: plan.terms, from: plan.from, in: scope, before: plan.before, after: plan.after, hasLink: plan.hasLink, notes: plan.notes },
    })

    const service: SearchService = {
      async search(query) {
        const q = SearchQuerySchema.parse(query)
        const plan = planSearch(q.text)
        let belowKey: number | null = null
        if (q.cursor) {
          if (!CURSOR.test(q.cursor)) throw new ParleyError('That page of results is no longer valid; search again.', 'invalid-argument')
          belowKey = parseInt(q.cursor, 36)
        }
        let conversationId = q.conversationId ?? null
        if (plan.in !== null) {
          const named = resolveIn(plan.in)
          if (named === null) {
            plan.notes.push(`No conversation is called "${plan.in}".`)
            return emptyResults(plan, null)
          }
          if (conversationId !== null && named !== conversationId) {
            plan.notes.push(`in:${plan.in} is not the conversation being searched.`)
            return emptyResults(plan, conversationId)
          }
          conversationId = named
        }
        const sender = plan.from === null ? null : plan.from.toLowerCase() === 'me' ? (ctx.account()?.user ?? plan.from) : plan.from.replace(/^@/, '')
        const looksForSomething = plan.terms.length > 0 || plan.hasLink || plan.from !== null || plan.in !== null || plan.before !== null || plan.after !== null
        if (!looksForSomething) return emptyResults(plan, conversationId)
        // What just arrived is found: a small backlog is indexed now, a large one is reported as pending.
        const queued = indexer.pendingUpTo(INDEX_BEFORE_SEARCH + 1)
        if (queued > 0) indexer.indexBatch(queued <= INDEX_BEFORE_SEARCH ? INDEX_BEFORE_SEARCH : NEWEST_BEFORE_SEARCH)
        const page = searcher.find(plan, { conversationId, sender, belowKey }, q.limit)
        const titles = new Map<string, { kind: SearchHit['conversationKind']; title: string }>()
        const hits = page.rows.map((r: FoundRow): SearchHit => {
          let c = titles.get(r.conversation_id)
          if (!c) {
            const summary = conversations.store.get(r.conversation_id)
            c = { kind: summary?.kind ?? parseConversationId(r.conversation_id)?.kind ?? 'dm', title: summary?.title ?? r.conversation_id }
            titles.set(r.conversation_id, c)
          }
          return {
            message: toMessage(r),
            conversationKind: c.kind,
            conversationTitle: c.title,
            snippet: makeSnippet(r.text, plan.terms, plan.hasLink),
          }
        })
        return {
          hits,
          next: page.nextKey === null ? null : page.nextKey.toString(36),
          pending: indexer.pending(),
          parsed: { terms: plan.terms, from: sender, in: conversationId, before: plan.before, after: plan.after, hasLink: plan.hasLink, notes: plan.notes },
        }
      },
      async status() {
        return status()
      },
    }

    return {
      service,
      api: { indexer } satisfies SearchApi,
      close() {
        closed = true
        if (timer) clearTimeout(timer)
        timer = null
      },
    }
  },
})
