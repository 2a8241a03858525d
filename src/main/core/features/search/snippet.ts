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

/** A long text is read this much at a time while its first match is looked for. */
const PIECE = 512

/**
 * The ranges a snippet of `text` shows: for a long text, the first match looked for a
 * piece at a time and then only the matches around it. Folding a whole 16,000-character
 * accented or CJK message cost ~3 ms per hit, ~100 ms for a page of long ones. Pieces
 * and the window overlap by `reach`, more than a match spans (every character of it
 * carrying a few accents), so the first match and the window's ranges are the same.
 */
export function snippetRanges(text: string, terms: readonly string[], links = false): TextRange[] {
  if (text.length <= 2 * PIECE) return matchRanges(text, terms, links)
  const reach = 256 + 4 * Math.max(0, ...terms.map((t) => t.length))
  const slice = (from: number, to: number): TextRange[] => {
    const a = safe(text, Math.max(0, from))
    const b = Math.min(text.length, safe(text, Math.min(text.length, to)))
    return matchRanges(text.slice(a, b), terms, links).map(([s, e]) => [s + a, e + a] as const)
  }
  for (let from = 0; from < text.length; from += PIECE) {
    const first = slice(from, from + PIECE + reach)[0]
    if (first) return slice(first[0] - BEFORE - reach, first[0] + LENGTH + reach)
  }
  return []
}

/** A window of the text around its first match, with the matches in it highlighted. */
export function makeSnippet(text: string, terms: readonly string[], links = false): SearchSnippet {
  return windowAround(text, snippetRanges(text, terms, links))
}

/** The window of `text` around the first of `ranges` (sorted, merged), with those in it shifted into it. */
export function windowAround(text: string, ranges: readonly TextRange[]): SearchSnippet {
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
