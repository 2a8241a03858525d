import { defineStore } from 'pinia'
import { ref } from 'vue'
import type { ParsedSearch, SearchHit, SearchResults } from '../../../../shared/contract'

/** The search panel: open or not, its scope, what was typed and what came back. State only (I/O in io.ts). */
export const useSearchStore = defineStore('search', () => {
  const isOpen = ref(false)
  /** The conversation searched (Ctrl/Cmd+F), or null for all of them (Ctrl/Cmd+Shift+F). */
  const scope = ref<string | null>(null)
  const text = ref('')
  /** The text the shown results answer (may lag `text` while typing). */
  const answered = ref('')
  const hits = ref<SearchHit[]>([])
  const next = ref<string | null>(null)
  const parsed = ref<ParsedSearch | null>(null)
  /** Messages not indexed yet, as the last answer or index event said. */
  const pending = ref(0)
  /** A query is waiting for its first page (debounce or call in flight). */
  const searching = ref(false)
  const loadingMore = ref(false)
  const error = ref<string | null>(null)
  /** Index into `hits` of the result ↑/↓ chose; -1: none. */
  const selected = ref(-1)
  /** Bumped on every open, so the panel focuses its input even when it was open already. */
  const focusRequests = ref(0)

  function clearResults(): void {
    hits.value = []
    next.value = null
    parsed.value = null
    answered.value = ''
    error.value = null
    selected.value = -1
    searching.value = false
    loadingMore.value = false
  }

  function setResults(forText: string, r: SearchResults, append: boolean): void {
    hits.value = append ? [...hits.value, ...r.hits] : r.hits
    next.value = r.next
    parsed.value = r.parsed
    pending.value = r.pending
    answered.value = forText
    error.value = null
    if (!append) selected.value = r.hits.length > 0 ? 0 : -1
  }

  return {
    isOpen,
    scope,
    text,
    answered,
    hits,
    next,
    parsed,
    pending,
    searching,
    loadingMore,
    error,
    selected,
    focusRequests,
    clearResults,
    setResults,
  }
})
