import type { SearchSnippet, TextRange } from '../../../../shared/contract'
import { fold, foldWithMap } from './fold'

/** Characters of context shown before the first match. */
const BEFORE = 40
/** Longest snippet (UTF-16 units, before ellipses). */
const LENGTH = 160
const LINK = /\b(?:[a-z][a-z0-9+.-]*:\/\/|www\.|mailto:)\S+/giu

/** Where each needle occurs in `text` (folded comparison), as ranges of the original text, sorted and merged. */
export function matchRanges(text: string, needles: readonly string[], links = false): TextRange[] {
  const ranges: [number, number][] = []
  const folded = needles.map(fold).filter((n) => n.length > 0)
  if (folded.length) {
    const f = foldWithMap(text)
    for (const n of folded) {
      for (let at = f.text.indexOf(n); at >= 0; at = f.text.indexOf(n, at + n.length)) {
        const start = f.from[at]!
        const lastUnit = f.from[at + n.length - 1]!
        // Through the whole original character the match ends in (a letter with its accent, a surrogate pair).
        let k = at + n.length
        while (k < f.from.length && f.from[k] === lastUnit) k++
        const end = k < f.from.length ? f.from[k]! : text.length
        ranges.push([start, Math.max(end, start + 1)])
      }
    }
  }
  if (links) for (const m of text.matchAll(LINK)) ranges.push([m.index, m.index + m[0].length])
  ranges.sort((a, b) => a[0] - b[0] || a[1] - b[1])
  const merged: [number, number][] = []
  for (const r of ranges) {
    const last = merged.at(-1)
    if (last && r[0] <= last[1]) last[1] = Math.max(last[1], r[1])
    else merged.push([r[0], r[1]])
  }
  return merged
}

const MARK = /^\p{M}/u

/**
 * Moves a cut back to the start of the character it falls in: off the second half
 * of a surrogate pair, and off combining accents onto their letter, so a window
 * never starts with an orphan accent nor ends with a letter whose accent it dropped.
 */
function safe(text: string, i: number): number {
  for (;;) {
    const c = text.charCodeAt(i)
    if (c >= 0xdc00 && c <= 0xdfff && i > 0) i--
    else if (i > 0 && c >= 0x300 && MARK.test(text.slice(i, i + 2))) i--
    else return i
  }
}

/** A window of the text around its first match, with the matches in it highlighted. */
export function makeSnippet(text: string, terms: readonly string[], links = false): SearchSnippet {
  const ranges = matchRanges(text, terms, links)
  const first = ranges[0]?.[0] ?? 0
  let start = first <= BEFORE ? 0 : safe(text, first - BEFORE)
  // Start at a word boundary: after the first space between the cut and the match, if there is one.
  if (start > 0) {
    const space = text.slice(start, first).search(/\s/)
    if (space >= 0) start += space + 1
  }
  const end = Math.min(text.length, safe(text, Math.min(text.length, start + LENGTH)))
  const lead = start > 0 ? '…' : ''
  const tail = end < text.length ? '…' : ''
  const shift = lead.length - start
  const highlights: TextRange[] = ranges
    .filter(([s, e]) => e > start && s < end)
    .map(([s, e]) => [Math.max(s, start) + shift, Math.min(e, end) + shift] as const)
  return { text: lead + text.slice(start, end).replace(/[\r\n\t]/g, ' ') + tail, highlights }
}
