/**
 * From what a person typed to a search plan. Every word and "quoted phrase" becomes
 * a quoted FTS5 phrase (so `"`, AND, C++, multi-agent, * are only ever text, never
 * query syntax), filters are read off, and anything not understood becomes a note.
 * Nothing here throws for any input.
 */
import { SEARCH_TERMS_MAX, type ParsedSearch } from '../../../../shared/contract'
import { charCount, fold, indexedCharCount, indexForm } from './fold'

/** Most words a query uses; the rest are ignored (and a note says so). */
const MAX_TERMS = 16
/** The trigram index finds a term of at least this many characters (in its index form). */
export const MIN_INDEXED_CHARS = 3

/** What the parser read (ParsedSearch, with `in` as typed, not yet resolved), and how the terms are looked for. */
export interface SearchPlan extends ParsedSearch {
  /** Terms the index can look up, in index form. */
  indexed: string[]
  /** Folded terms too short for the index: checked against each candidate's text. */
  short: string[]
}

const FILTER = /^(from|in|before|after|has):(.*)$/is

/** Splits the input into words, "quoted phrases" and `filter:value` pairs (a value may be quoted). */
function tokens(input: string): string[] {
  const out: string[] = []
  let i = 0
  while (i < input.length) {
    while (i < input.length && /\s/.test(input[i]!)) i++
    if (i >= input.length) break
    let j = i
    if (input[i] === '"') {
      const end = input.indexOf('"', i + 1)
      j = end < 0 ? input.length : end + 1
    } else {
      while (j < input.length && !/\s/.test(input[j]!)) {
        // `in:"Team chat"`: a quoted value after a filter's colon runs to its closing quote.
        if (input[j] === '"' && input[j - 1] === ':' && FILTER.test(input.slice(i, j + 1))) {
          const end = input.indexOf('"', j + 1)
          j = end < 0 ? input.length : end + 1
          break
        }
        j++
      }
    }
    out.push(input.slice(i, j))
    i = j
  }
  return out
}

function unquote(s: string): string {
  return s.startsWith('"') ? s.slice(1, s.endsWith('"') && s.length > 1 ? -1 : undefined) : s
}

/** A date as typed (2026-01-31, 2026-01 or 2026), local time: its first and its next-after-last millisecond. */
export function parseDay(value: string): { start: number; end: number } | null {
  const m = /^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$/.exec(value.trim())
  if (!m) return null
  const y = Number(m[1])
  const mo = m[2] === undefined ? null : Number(m[2]) - 1
  const d = m[3] === undefined ? null : Number(m[3])
  if (mo !== null && (mo < 0 || mo > 11)) return null
  const start = localDate(y, mo ?? 0, d ?? 1)
  if (d !== null && start.getDate() !== d) return null
  const end = d !== null ? localDate(y, mo!, d + 1) : mo !== null ? localDate(y, mo + 1, 1) : localDate(y + 1, 0, 1)
  return { start: start.getTime(), end: end.getTime() }
}

/** Local midnight of a day (months and days past the end roll over); unlike `new Date(y, …)`, years 0-99 are not taken as 1900-1999. */
function localDate(y: number, month: number, day: number): Date {
  const date = new Date(2000, month, day)
  date.setFullYear(y + date.getFullYear() - 2000)
  return date
}

export function planSearch(input: string): SearchPlan {
  const plan: SearchPlan = { terms: [], indexed: [], short: [], from: null, in: null, before: null, after: null, hasLink: false, notes: [] }
  let text = input
  // A character is at most two UTF-16 units: longer than twice the limit is over it, without counting
  // (or copying) a pasted megabyte, which took tens of milliseconds of the core's only thread.
  if (text.length > SEARCH_TERMS_MAX && (text.length > 2 * SEARCH_TERMS_MAX || charCount(text) > SEARCH_TERMS_MAX)) {
    text = Array.from(text.slice(0, 2 * SEARCH_TERMS_MAX)).slice(0, SEARCH_TERMS_MAX).join('')
    plan.notes.push(`Only the first ${SEARCH_TERMS_MAX} characters were searched.`)
  }
  // FTS5 reads its query as a C string: a NUL inside a phrase ends it there ("unterminated string").
  // Nobody types one on purpose, so it separates words like a space.
  text = text.replaceAll('\0', ' ')
  const seen = new Set<string>()
  for (const token of tokens(text)) {
    const filter = token.startsWith('"') ? null : FILTER.exec(token)
    if (filter) {
      const name = filter[1]!.toLowerCase()
      const value = unquote(filter[2]!).trim()
      if (!value) {
        plan.notes.push(`${name}: needs a value, like ${example(name)}.`)
        continue
      }
      if ((name === 'from' && plan.from !== null) || (name === 'in' && plan.in !== null)) {
        plan.notes.push(`Only one ${name}: is used: ${name}:${name === 'from' ? plan.from : plan.in}.`)
        continue
      }
      if (name === 'from') plan.from = value
      else if (name === 'in') plan.in = value
      else if (name === 'has') {
        if (value.toLowerCase() === 'link') plan.hasLink = true
        else plan.notes.push(`has: understands only has:link.`)
      } else {
        const day = parseDay(value)
        if (!day) plan.notes.push(`${name}: needs a date like ${example(name)}.`)
        else if (name === 'before') plan.before = day.start
        else plan.after = day.end
      }
      continue
    }
    const term = unquote(token)
    const folded = fold(term)
    if (!folded.trim() || seen.has(folded)) continue
    if (plan.terms.length >= MAX_TERMS) {
      plan.notes.push(`Only the first ${MAX_TERMS} words were searched.`)
      break
    }
    seen.add(folded)
    plan.terms.push(term)
    const form = indexForm(term)
    if (indexedCharCount(form) >= MIN_INDEXED_CHARS) plan.indexed.push(form)
    else plan.short.push(folded)
  }
  if (plan.before !== null && plan.after !== null && plan.after >= plan.before) plan.notes.push('Nothing can be both after and before those dates.')
  return plan
}

function example(filter: string): string {
  return filter === 'from' ? 'from:alice' : filter === 'in' ? 'in:alice or in:"Team chat"' : filter === 'has' ? 'has:link' : `${filter}:2026-01-31`
}

/** A string as one FTS5 phrase: inside double quotes nothing is syntax, and a quote is written twice. */
export function ftsPhrase(s: string): string {
  return `"${s.replaceAll('"', '""').replaceAll('\0', ' ')}"`
}
