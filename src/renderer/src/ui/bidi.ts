/**
 * Names (and other text people typed) shown inside a sentence are isolated, so a
 * right-to-left name cannot reorder what surrounds it. In markup use `<bdi>`; in
 * attributes and plain strings (placeholders, titles, aria-labels) use `isolate`.
 */
const FSI = '\u2068'
const PDI = '\u2069'

/** `text` wrapped in FIRST STRONG ISOLATE … POP DIRECTIONAL ISOLATE. */
export function isolate(text: string): string {
  return `${FSI}${text}${PDI}`
}
