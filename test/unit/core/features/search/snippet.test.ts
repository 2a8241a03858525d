import { describe, expect, it } from 'vitest'
import type { SearchSnippet } from '../../../../../src/shared/contract'
import { fold } from '../../../../../src/main/core/features/search/fold'
import { makeSnippet, matchRanges, windowAround } from '../../../../../src/main/core/features/search/snippet'
import { seeded } from './rig'

/** What a person sees highlighted: the snippet's text inside each range. */
const marked = (s: SearchSnippet): string[] => s.highlights.map(([a, b]) => s.text.slice(a, b))

/** Every range is inside the text, ordered, not overlapping, and never splits a surrogate pair. */
function wellFormed(s: SearchSnippet): void {
  let last = 0
  for (const [a, b] of s.highlights) {
    expect(a).toBeGreaterThanOrEqual(last)
    expect(b).toBeGreaterThan(a)
    expect(b).toBeLessThanOrEqual(s.text.length)
    for (const i of [a, b]) {
      const c = s.text.charCodeAt(i)
      expect(c >= 0xdc00 && c <= 0xdfff, `range edge ${i} splits a pair`).toBe(false)
    }
    last = b
  }
  expect(/\p{Cs}/u.test(s.text), 'no lone surrogate at the cut').toBe(false)
}

describe('snippets and highlight ranges', () => {
  it('marks each match, in order, case-insensitively', () => {
    const s = makeSnippet('Hello world, HELLO again', ['hello'])
    expect(s.text).toBe('Hello world, HELLO again')
    expect(s.highlights).toEqual([
      [0, 5],
      [13, 18],
    ])
    wellFormed(s)
  })

  it('marks the accented original whether the text or the term carries the accent', () => {
    expect(marked(makeSnippet('un café noir', ['cafe']))).toEqual(['café'])
    expect(marked(makeSnippet('un cafe noir', ['café']))).toEqual(['cafe'])
    expect(marked(makeSnippet('un CAFÉ noir', ['café']))).toEqual(['CAFÉ'])
    // Decomposed: e + U+0301 is one letter, and the accent is inside the mark.
    expect(marked(makeSnippet('un cafe\u0301 noir', ['cafe']))).toEqual(['cafe\u0301'])
    expect(marked(makeSnippet('un cafe\u0301 noir', ['cafe\u0301']))).toEqual(['cafe\u0301'])
    expect(marked(makeSnippet('un café noir', ['cafe\u0301']))).toEqual(['café'])
    expect(marked(makeSnippet('re\u0301sume\u0301 et résumé', ['resume']))).toEqual(['re\u0301sume\u0301', 'résumé'])
    // A match ending before an accent stops at the letter it matched.
    expect(marked(makeSnippet('cafe\u0301', ['caf']))).toEqual(['caf'])
  })

  it('marks Chinese and Japanese words on the right characters', () => {
    expect(makeSnippet('我在北京工作', ['北京']).highlights).toEqual([[2, 4]])
    expect(marked(makeSnippet('東京で会議があります、会議室で', ['会議']))).toEqual(['会議', '会議'])
    expect(marked(makeSnippet('北京北京', ['京']))).toEqual(['京', '京'])
  })

  it('marks emoji and text after emoji on whole surrogate pairs', () => {
    const s = makeSnippet('😀 party 🎉 time 😀', ['party', '😀'])
    expect(marked(s)).toEqual(['😀', 'party', '😀'])
    wellFormed(s)
    expect(marked(makeSnippet('👍🏽 ok 👍🏽', ['ok']))).toEqual(['ok'])
  })

  it('Greek capitals match whatever the sigma', () => {
    expect(marked(makeSnippet('Η ΟΔΟΣ και η οδος', ['οδος']))).toEqual(['ΟΔΟΣ', 'οδος'])
    expect(marked(makeSnippet('η οδοσ', ['ΟΔΟΣ']))).toEqual(['οδοσ'])
    expect(marked(makeSnippet('η σοφία, ΣΟΦΊΑ', ['σοφια']))).toEqual(['σοφία', 'ΣΟΦΊΑ'])
    expect(marked(makeSnippet('ёлка', ['елка']))).toEqual(['ёлка'])
  })

  it('merges overlapping and adjacent matches of several terms', () => {
    expect(matchRanges('abcdef', ['abc', 'bcd', 'ef'])).toEqual([[0, 6]])
    expect(matchRanges('abc abc', ['abc', 'zzz'])).toEqual([
      [0, 3],
      [4, 7],
    ])
    expect(matchRanges('abc', [])).toEqual([])
    expect(matchRanges('abc', [''])).toEqual([])
  })

  it('marks links for has:link', () => {
    const s = makeSnippet('see https://example.org/x and www.test.com.', [], true)
    expect(marked(s)).toEqual(['https://example.org/x', 'www.test.com.'])
  })

  it('cuts a long text to a window around the first match, with ellipses and ranges shifted', () => {
    const before = 'word '.repeat(100) // 500 characters
    const text = `${before}needle in the middle ${'tail '.repeat(100)}`
    const s = makeSnippet(text, ['needle'])
    expect(s.text.startsWith('…')).toBe(true)
    expect(s.text.endsWith('…')).toBe(true)
    expect(s.text.length).toBeLessThanOrEqual(162)
    expect(marked(s)).toEqual(['needle'])
    // Starts at a word boundary, with some context before the match.
    expect(s.text.slice(1, 6)).toBe('word ')
    const at = s.text.indexOf('needle')
    expect(at).toBeGreaterThan(20)
    expect(at).toBeLessThanOrEqual(41)
    wellFormed(s)
  })

  it('a match near the start keeps the start, without a leading ellipsis', () => {
    const s = makeSnippet(`short needle ${'x'.repeat(400)}`, ['needle'])
    expect(s.text.startsWith('short needle')).toBe(true)
    expect(s.text.endsWith('…')).toBe(true)
    expect(s.highlights).toEqual([[6, 12]])
  })

  it('a match cut by the end of the window is marked up to the cut', () => {
    const text = `${'a'.repeat(40)}${'needle'.repeat(40)}`
    const s = makeSnippet(text, ['needle'])
    expect(s.text.endsWith('…')).toBe(true)
    expect(s.highlights.at(-1)![1]).toBe(s.text.length - 1)
    wellFormed(s)
  })

  it('never cuts an emoji in half at either end of the window', () => {
    for (let pad = 0; pad < 6; pad++) {
      // Emoji everywhere, so both cuts can fall inside a pair; the offset moves where.
      const text = `${'x'.repeat(pad)}${'😀'.repeat(60)}target${'🎉'.repeat(120)}`
      const s = makeSnippet(text, ['target'])
      wellFormed(s)
      expect(marked(s)).toEqual(['target'])
    }
  })

  it('never separates a combining accent from its letter at either end of the window', () => {
    // The window's start (40 before the match) falls on an accent, then its end (160 on) on one.
    const start = makeSnippet(`${'e\u0301'.repeat(40)}xneedle`, ['needle'])
    expect(start.text.startsWith('…e\u0301')).toBe(true)
    expect(marked(start)).toEqual(['needle'])
    const end = makeSnippet(`needles${'e\u0301'.repeat(100)}`, ['needle'])
    expect(end.text.endsWith('e\u0301…')).toBe(true)
    expect(end.text.length).toBeLessThanOrEqual(162)
    // An accented match cut by the end keeps its accent or loses the whole letter.
    const needle = `${'a'.repeat(119)}e\u0301`
    const cut = makeSnippet(`${'b'.repeat(50)}${needle} more`, [needle])
    expect(cut.text.endsWith('a…')).toBe(true)
    expect(marked(cut)).toEqual(['a'.repeat(119)])
  })

  it('shows newlines and tabs as spaces, keeping every range in place', () => {
    const s = makeSnippet('first line\nsecond\r\nthird\tneedle', ['needle', 'second'])
    expect(s.text).toBe('first line second  third needle')
    expect(marked(s)).toEqual(['second', 'needle'])
  })

  it('a text with no match (a filter-only search) is its beginning, unmarked', () => {
    const s = makeSnippet('x'.repeat(300), [])
    expect(s.text).toBe(`${'x'.repeat(160)}…`)
    expect(s.highlights).toEqual([])
    expect(makeSnippet('', ['a'])).toEqual({ text: '', highlights: [] })
  })

  it('a seeded fuzz: any piece of a short mixed-script text is marked where it is, on whole characters', () => {
    const random = seeded(7)
    const pieces = ['a', 'B', 'é', 'e\u0301', 'İ', 'ß', 'Σ', 'ς', '北', '京', '東', 'で', '한', '😀', '👍🏽', ' ', '\n', '-', '+', '"', 'x', 'Ö', 'o\u0308', 'ﬁ']
    for (let i = 0; i < 2000; i++) {
      const chars = Array.from({ length: 2 + Math.floor(random() * 30) }, () => pieces[Math.floor(random() * pieces.length)]!)
      const text = chars.join('')
      const from = Math.floor(random() * chars.length)
      const needle = chars.slice(from, from + 1 + Math.floor(random() * 4)).join('')
      const s = makeSnippet(text, [needle])
      wellFormed(s)
      if (!fold(needle).trim()) continue
      // Some mark, folded, holds the needle folded (the mark may be wider: merged or whole characters).
      expect(
        marked(s).some((m) => fold(m.replace(/\s/g, ' ')).includes(fold(needle).replace(/\s/g, ' '))),
        `${JSON.stringify(text)} / ${JSON.stringify(needle)} → ${JSON.stringify(s)}`,
      ).toBe(true)
    }
  })

  it('a cut window starts at a word boundary, and has:link highlights any scheme', () => {
    const text = 'alpha bravo charlie delta echo foxtrot golf hotel india juliet kilo lima mike november oscar needle papa'
    const snip = makeSnippet(text, ['needle'])
    expect(snip.text.startsWith('…')).toBe(true)
    const firstWord = snip.text.slice(1).split(' ')[0]!
    expect(text.split(' ')).toContain(firstWord)
    const link = makeSnippet('get ftp://files.example.org/a now', [], true)
    expect(link.highlights.map(([a, b]) => link.text.slice(a, b))).toEqual(['ftp://files.example.org/a'])
  })

  it('a long text is read only as far as its first match, with the very snippet reading all of it gives', () => {
    const random = seeded(11)
    const pieces = ['a', 'B', 'é', 'e\u0301', 'Σ', 'ς', '北', '京', '😀', '👍🏽', ' ', '\n', 'x', 'o\u0308', 'ﬁ', 'word ', 'needle', 'https://ex.org/p ', 'e\u0301\u0301\u0301']
    for (let i = 0; i < 300; i++) {
      const chars = Array.from({ length: 500 + Math.floor(random() * 6000) }, () => pieces[Math.floor(random() * pieces.length)]!)
      // Mostly a long run of filler first, so the first match sits deep in the text, across piece edges.
      const text = 'lorem ipsum '.repeat(Math.floor(random() * 800)) + chars.join('')
      const from = Math.floor(random() * chars.length)
      const needle = chars.slice(from, from + 1 + Math.floor(random() * 4)).join('')
      const links = random() < 0.3
      expect(makeSnippet(text, [needle], links), `${text.length} / ${JSON.stringify(needle)}`).toEqual(windowAround(text, matchRanges(text, [needle], links)))
    }
    expect(makeSnippet('lorem ipsum '.repeat(2000), ['absent'])).toEqual(windowAround('lorem ipsum '.repeat(2000), []))
  })

  it('a page of long accented messages costs milliseconds: only the part around the first match is folded', () => {
    const text = 'café ünïcödé 北京 '.repeat(1000).slice(0, 16_000)
    makeSnippet(text, ['cafe'])
    const started = performance.now()
    for (let i = 0; i < 200; i++) makeSnippet(text, ['é', 'cafe', '北'])
    // Folding all 16,000 characters of each took ~650 ms for these 200.
    expect(performance.now() - started).toBeLessThan(200)
  })
})
