import { z } from 'zod'
import { ConversationIdSchema, type ConversationKind } from '../protocol/conversation-id'
import { defineContract } from './define'
import type { ChatMessage } from './messages'

/**
 * Longest search input the engine takes at all. Anything a person can paste is
 * accepted (a search box must never answer with an error for its length); the
 * query parser reads only the first SEARCH_TERMS_MAX characters of it.
 */
export const SEARCH_INPUT_MAX = 1_000_000
/** How much of the input is read as terms and filters; the rest is ignored and the answer says so. */
export const SEARCH_TERMS_MAX = 512

export const SearchQuerySchema = z.object({
  /** What the person typed: words, "quoted phrases" and filters (from: in: before: after: has:link). */
  text: z.string().max(SEARCH_INPUT_MAX),
  /** Search only this conversation (Ctrl/Cmd+F inside a conversation). */
  conversationId: ConversationIdSchema.nullish(),
  /** The `next` of the previous page: keyset paging towards older messages. */
  cursor: z.string().max(200).nullish(),
  limit: z.number().int().min(1).max(200).default(30),
})
export type SearchQuery = z.input<typeof SearchQuerySchema>

/** A half-open [start, end) range of UTF-16 code units inside a snippet's text. */
export type TextRange = readonly [start: number, end: number]

export interface SearchSnippet {
  /** A window of the message text around the first match (ellipses added where it was cut). */
  text: string
  /** Where the searched terms are in `text`, in order, never overlapping. */
  highlights: TextRange[]
}

export interface SearchHit {
  message: ChatMessage
  conversationKind: ConversationKind
  /** The conversation's name as the list shows it. */
  conversationTitle: string
  snippet: SearchSnippet
}

/** The query as the engine understood it, so the UI can show what is being searched. */
export interface ParsedSearch {
  /** Words and phrases every hit contains (folded: case and accents do not matter). */
  terms: string[]
  from: string | null
  /** The conversation `in:` (or the scope) resolved to; null when it named none. */
  in: string | null
  /** ms since epoch; hits are older than this. */
  before: number | null
  /** ms since epoch; hits are at least this new. */
  after: number | null
  hasLink: boolean
  /** Parts of the input that were not understood or not used, in words a person can act on. */
  notes: string[]
}

export interface SearchResults {
  /** Newest first. */
  hits: SearchHit[]
  /** Cursor for the next, older page; null when there is nothing more. */
  next: string | null
  parsed: ParsedSearch
  /** Messages stored but not indexed yet (a large catch-up in progress): they may be missing. */
  pending: number
}

export interface SearchIndexStatus {
  indexed: number
  pending: number
}

export interface SearchService {
  /** Never fails for what was typed: an input that means nothing gives no hits and a note. */
  search(query: SearchQuery): Promise<SearchResults>
  status(): Promise<SearchIndexStatus>
}

export interface SearchEvents {
  /** The index caught up, or made progress on a large backlog (at most a few times a second). */
  /** Only what is cheap to tell often: counting every message of a large history is not. */
  searchIndex: Pick<SearchIndexStatus, 'pending'>
}

export const searchContract = defineContract<SearchService, SearchEvents>()({
  methods: {
    search: z.tuple([SearchQuerySchema]),
    status: z.tuple([]),
  },
  events: ['searchIndex'],
})
