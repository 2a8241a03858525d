/**
 * A snippet cut into plain and highlighted pieces, from the engine's highlight
 * ranges. The pieces are drawn as text nodes (marked ones inside `<mark>`), never
 * as HTML, so a message can never inject markup. The ranges come over a boundary
 * and are only promised to be ordered and disjoint: anything else (out of bounds,
 * reversed, empty, overlapping, unordered) is clamped, skipped or merged here
 * rather than trusted.
 */
import type { TextRange } from '../../../../shared/contract'

export interface TextPiece {
  text: string
  mark: boolean
}

/** `text` as pieces in order; concatenated they give `text` back exactly. */
export function highlightPieces(text: string, ranges: readonly TextRange[]): TextPiece[] {
  const clean = normalizeRanges(text.length, ranges)
  const pieces: TextPiece[] = []
  let at = 0
  for (const [start, end] of clean) {
    if (start > at) pieces.push({ text: text.slice(at, start), mark: false })
    pieces.push({ text: text.slice(start, end), mark: true })
    at = end
  }
  if (at < text.length || pieces.length === 0) pieces.push({ text: text.slice(at), mark: false })
  return pieces.filter((p, i, all) => p.text !== '' || all.length === 1)
}

/** Ranges of numbers only, clamped to [0, length], integers, non-empty, sorted and merged where they touch or overlap. */
export function normalizeRanges(length: number, ranges: readonly TextRange[]): [number, number][] {
  const clamp = (n: number) => Math.min(length, Math.max(0, Math.trunc(n)))
  const valid = ranges
    .filter(([s, e]) => Number.isFinite(s) && Number.isFinite(e))
    .map(([s, e]) => [clamp(s), clamp(e)] as [number, number])
    .filter(([s, e]) => e > s)
    .sort((a, b) => a[0] - b[0] || a[1] - b[1])
  const merged: [number, number][] = []
  for (const r of valid) {
    const last = merged[merged.length - 1]
    if (last && r[0] <= last[1]) last[1] = Math.max(last[1], r[1])
    else merged.push([r[0], r[1]])
  }
  return merged
}
