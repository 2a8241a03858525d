/**
 * How text is compared for search: case and accents do not matter ("Café" finds
 * "cafe" and the other way round), and Chinese, Japanese and Korean characters are
 * doubled on their way into the trigram index so a two-character word (北京) is
 * long enough to be a trigram phrase.
 */

const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u
const CJK_ALL = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/gu
const MARKS = /\p{M}/gu
// Printable ASCII and common whitespace need no Unicode folding.
const ASCII = /^[\t\n\r\x20-\x7e]*$/

/**
 * The text the index holds for a message (and the form a term is looked up in):
 * every CJK character twice. The mapping keeps substrings: q is in s exactly when
 * doubled(q) is in doubled(s), so "北京" (4 characters once doubled) is a phrase of
 * two trigrams while the text around it is untouched.
 */
export function indexForm(text: string): string {
  // Compatibility forms are the letters they stand for: full-width ＦＵＬＬ, the ligature ﬁ, half-width ﾊﾝｶｸ.
  const compatible = ASCII.test(text) ? text : text.normalize('NFKC')
  const folded = GREEK_OR_YO.test(compatible) ? compatible.replace(GREEK_OR_YO_ALL, foldGreekOrYo) : compatible
  return CJK.test(folded) ? folded.replace(CJK_ALL, (c) => c + c) : folded
}

/**
 * The tokenizer's remove_diacritics knows Latin letters only: Greek accents (ά, ΐ) and
 * the Russian ё stay, so "σοφια" would miss "σοφία" and "елка" miss "ёлка", and final
 * sigma is not sigma to it ("ΟΔΟΣ" would miss "οδός"). Those are folded here, in the
 * text and the terms alike (fold() folds them the same way for checks and highlights).
 */
const GREEK_OR_YO = /[Ͱ-Ͽἀ-῿Ёё]/
const GREEK_OR_YO_ALL = /[Ͱ-Ͽἀ-῿Ёё]/g
function foldGreekOrYo(c: string): string {
  return c === 'ς' ? 'σ' : c === 'ё' ? 'е' : c === 'Ё' ? 'Е' : c.normalize('NFD').replace(MARKS, '')
}

/** Unicode characters (not UTF-16 units): what the trigram tokenizer counts. */
export function charCount(s: string): number {
  let n = 0
  for (const _ of s) n++
  return n
}

/**
 * How many characters the trigram tokenizer sees in an index-form term: combining
 * accents are dropped by it (remove_diacritics), so "ne" + U+0301 is two, too short to
 * look up. Counting marks out of any script errs on the safe side: a term counted
 * short is checked against the text instead of looked up.
 */
export function indexedCharCount(form: string): number {
  return ASCII.test(form) ? form.length : charCount(form.normalize('NFC').replace(MARKS, ''))
}

/**
 * Lower case without accents or compatibility forms (NFKD), for comparing a whole string. Final sigma is folded to
 * sigma: lower-casing a whole word gives "ς" at its end where one character alone
 * gives "σ", and foldWithMap folds one character at a time.
 */
export function fold(s: string): string {
  return ASCII.test(s) ? s.toLowerCase() : s.normalize('NFKD').replace(MARKS, '').toLowerCase().replaceAll('ς', 'σ')
}

/** A folded copy of `s` and, for each of its UTF-16 units, where that unit came from in `s`. */
export interface Folded {
  text: string
  from: number[]
}

export function foldWithMap(s: string): Folded {
  if (ASCII.test(s)) return { text: s.toLowerCase(), from: Array.from({ length: s.length }, (_, i) => i) }
  let text = ''
  const from: number[] = []
  let at = 0
  for (const ch of s) {
    const f = fold(ch)
    for (let i = 0; i < f.length; i++) from.push(at)
    text += f
    at += ch.length
  }
  return { text, from }
}
