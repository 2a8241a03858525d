import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SEARCH_TERMS_MAX } from '../../../../../src/shared/contract'
import { ftsPhrase, parseDay, planSearch, type SearchPlan } from '../../../../../src/main/core/features/search/query'
import { seeded, searchRig, type SearchRig } from './rig'

/** Hostile inputs from the issue and beyond: none may throw, none may reach FTS5 as syntax. */
const HOSTILE = [
  '"',
  '""',
  '"unbalanced',
  'unbalanced"',
  '"""',
  'AND',
  'OR',
  'NOT',
  'a AND b',
  'a OR',
  'NOT a',
  'NEAR(a b)',
  'NEAR(a b, 2)',
  'C++',
  'multi-agent',
  '-multi',
  '*',
  'a*',
  '^',
  '^abc',
  '{body}:x',
  '{body scope}: abc',
  'body:x',
  'scope:abc',
  'col:x',
  ':',
  '::',
  '-',
  '+',
  '()',
  '(abc',
  'abc)',
  '[]',
  '',
  ' ',
  '   \t\n\r  ',
  '😀',
  '😀😀😀',
  '👩‍👩‍👧‍👦 family',
  'مرحبا بالعالم',
  'שלום',
  '\u202eevil\u202c',
  '\u0000',
  'a\u0000b',
  'abc\u0000',
  '\u0000abc\u0000def',
  '\u0001\u0002\u0003\u001f\u007f',
  'abc\u0007def',
  '\ud800',
  '\udc00abc',
  'ab\ud800cd',
  '\ud800\ud800\ud800',
  '\ufffe\uffff',
  'in:',
  'from:',
  'before:',
  'in:"',
  'in:""',
  'from:"a"b"',
  'has:',
  'before:"',
  '\\',
  "'",
  "''abc''",
  '%_%',
  'x\u0301\u0301\u0301',
  '\u0301\u0301\u0301',
]

describe('planSearch', () => {
  const plan = (text: string): SearchPlan => planSearch(text)

  it('makes every word a term and every quoted phrase one term; short terms (< 3 characters) are checked, not looked up', () => {
    expect(plan('hello "big world" hi')).toMatchObject({ terms: ['hello', 'big world', 'hi'], indexed: ['hello', 'big world'], short: ['hi'], notes: [] })
  })

  it('keeps query syntax as text: operators, stars, carets, column filters and parentheses are words', () => {
    expect(plan('C++ AND multi-agent OR NOT * a* ^x {body}:x col:x NEAR(a b)').terms).toEqual([
      'C++',
      'AND',
      'multi-agent',
      'OR',
      'NOT',
      '*',
      'a*',
      '^x',
      '{body}:x',
      'col:x',
      'NEAR(a',
      'b)',
    ])
  })

  it('a quoted phrase becomes one FTS5 phrase in which quotes are doubled', () => {
    expect(ftsPhrase('say "hi"')).toBe('"say ""hi"""')
    expect(plan('"unbalanced phrase').terms).toEqual(['unbalanced phrase'])
    expect(plan('"').terms).toEqual([])
    expect(plan('""').terms).toEqual([])
  })

  it('empty and whitespace-only input has no terms, no filters and no notes', () => {
    for (const text of ['', ' ', '\t\n  \r']) expect(plan(text)).toMatchObject({ terms: [], from: null, in: null, before: null, after: null, hasLink: false, notes: [] })
  })

  it('ignores duplicates (case and accents folded) and reads at most 16 words, saying so', () => {
    expect(plan('Cafe café CAFE cafe').terms).toEqual(['Cafe'])
    const words = Array.from({ length: 20 }, (_, i) => `word${i}`)
    const p = plan(words.join(' '))
    expect(p.terms).toEqual(words.slice(0, 16))
    expect(p.notes).toEqual(['Only the first 16 words were searched.'])
  })

  it('reads filters: from:, in: (quoted too), has:link, in any case', () => {
    expect(plan('from:bob in:alice has:link hello')).toMatchObject({ terms: ['hello'], from: 'bob', in: 'alice', hasLink: true, notes: [] })
    expect(plan('in:"Team chat" news')).toMatchObject({ terms: ['news'], in: 'Team chat' })
    expect(plan('IN:"Team chat"')).toMatchObject({ terms: [], in: 'Team chat' })
    expect(plan('FROM:Bob HAS:LINK')).toMatchObject({ from: 'Bob', hasLink: true })
    // A quoted filter is a phrase, an unknown name is an ordinary word.
    expect(plan('"from:bob" foo:bar')).toMatchObject({ terms: ['from:bob', 'foo:bar'], from: null })
  })

  it('says what a filter needs when it has no value or one it does not understand', () => {
    expect(plan('from: in: has: before: after:').notes).toEqual([
      'from: needs a value, like from:alice.',
      'in: needs a value, like in:alice or in:"Team chat".',
      'has: needs a value, like has:link.',
      'before: needs a value, like before:2026-01-31.',
      'after: needs a value, like after:2026-01-31.',
    ])
    expect(plan('has:other')).toMatchObject({ hasLink: false, notes: ['has: understands only has:link.'] })
  })

  it('reads dates as local days, months and years: before: is the first millisecond, after: the one after the last', () => {
    expect(plan('before:2026-03-15')).toMatchObject({ before: new Date(2026, 2, 15).getTime(), notes: [] })
    expect(plan('after:2026-03-15')).toMatchObject({ after: new Date(2026, 2, 16).getTime(), notes: [] })
    expect(plan('before:2026-03').before).toBe(new Date(2026, 2, 1).getTime())
    expect(plan('after:2026-03').after).toBe(new Date(2026, 3, 1).getTime())
    expect(plan('after:2026-12').after).toBe(new Date(2027, 0, 1).getTime())
    expect(plan('before:2026').before).toBe(new Date(2026, 0, 1).getTime())
    expect(plan('after:2026').after).toBe(new Date(2027, 0, 1).getTime())
    expect(plan('after:2024-02-29').after).toBe(new Date(2024, 2, 1).getTime())
  })

  it('a date it cannot read is a note, never a crash', () => {
    for (const bad of ['2026-02-30', '2025-02-29', '2026-13', '2026-00', '2026-01-00', '26-01-01', 'yesterday', '2026/01/01', '2026-1-1-1', '١٢٣٤']) {
      const p = plan(`before:${bad} after:${bad}`)
      expect(p, bad).toMatchObject({ before: null, after: null })
      expect(p.notes, bad).toEqual(['before: needs a date like before:2026-01-31.', 'after: needs a date like after:2026-01-31.'])
    }
    expect(plan('after:2026-05 before:2026-05').notes).toEqual(['Nothing can be both after and before those dates.'])
  })

  it('years below 100 are those years, not the 1900s', () => {
    const d = parseDay('0099')!
    expect(new Date(d.start).getFullYear()).toBe(99)
    expect(new Date(d.end).getFullYear()).toBe(100)
    expect(new Date(parseDay('0050-06-15')!.start).getFullYear()).toBe(50)
  })

  it('reads only the first 512 characters of a 10 kB or 1 MB input, fast, and says so', () => {
    for (const size of [10_000, 1_000_000]) {
      const text = 'lorem ipsum "dolor sit" '.repeat(Math.ceil(size / 24)).slice(0, size)
      const started = performance.now()
      const p = plan(text)
      expect(performance.now() - started).toBeLessThan(100)
      expect(p.notes).toContain(`Only the first ${SEARCH_TERMS_MAX} characters were searched.`)
      // The words read are those of the first 512 characters (the last may be cut).
      expect(p.terms.slice(0, 3)).toEqual(['lorem', 'ipsum', 'dolor sit'])
      expect(p.terms.length).toBeLessThanOrEqual(4)
    }
    // One endless word, and an unclosed quote running to the end.
    for (const text of ['x'.repeat(1_000_000), `"${'y '.repeat(500_000)}`, '😀'.repeat(500_000)]) {
      const started = performance.now()
      const p = plan(text)
      expect(performance.now() - started).toBeLessThan(100)
      expect(p.notes).toContain(`Only the first ${SEARCH_TERMS_MAX} characters were searched.`)
      expect(p.terms.every((t) => t.length <= 2 * SEARCH_TERMS_MAX)).toBe(true)
    }
  })

  it('counts characters, not UTF-16 units: 512 emoji are all read', () => {
    expect(plan('😀'.repeat(512)).notes).toEqual([])
    expect(plan('😀'.repeat(513)).notes).toEqual([`Only the first ${SEARCH_TERMS_MAX} characters were searched.`])
    // 512 characters in 1023 units are all read; 513 in 1024 are cut to the first 512, never inside a pair.
    expect(plan(`a${'😀'.repeat(511)}`)).toMatchObject({ terms: [`a${'😀'.repeat(511)}`], notes: [] })
    const cut = plan(`ab${'😀'.repeat(511)}`)
    expect(cut.terms).toEqual([`ab${'😀'.repeat(510)}`])
    expect(cut.notes).toEqual([`Only the first ${SEARCH_TERMS_MAX} characters were searched.`])
  })

  it('a term the index would see as under three characters is checked instead (combining accents fold away)', () => {
    // n + e + U+0301 is three code points but two letters once accents are folded.
    expect(plan('ne\u0301')).toMatchObject({ indexed: [], short: ['ne'] })
    expect(plan('北京')).toMatchObject({ indexed: ['北北京京'], short: [] })
    expect(plan('京')).toMatchObject({ indexed: [], short: ['京'] })
  })
})

describe('no input reaches the index as syntax', () => {
  let rig: SearchRig
  beforeAll(() => {
    rig = searchRig()
    rig.put(
      'C++ and multi-agent systems',
      'a AND b OR NOT c',
      'NEAR(a b) * a* ^ {body}:x col:x : - ()',
      '北京 東京 会議 😀 مرحبا',
      'see https://example.org',
      'say "hi"',
      { text: 'from bob', peer: 'bob' },
    )
  })
  afterAll(() => rig.db.close())

  const run = (text: string, limit = 10): void => {
    const plan = planSearch(text)
    for (const conversationId of [null, 'dm:alice']) rig.searcher.find(plan, { conversationId, sender: null, belowKey: null }, limit)
  }

  it.each(HOSTILE.map((t) => [JSON.stringify(t), t]))('%s plans and runs without throwing', (_, text) => {
    expect(() => planSearch(text)).not.toThrow()
    expect(() => run(text)).not.toThrow()
  })

  it('finds what the operators and quotes literally are', () => {
    expect(rig.texts('AND')).toEqual(['a AND b OR NOT c', 'C++ and multi-agent systems'])
    expect(rig.texts('NEAR(a')).toEqual(['NEAR(a b) * a* ^ {body}:x col:x : - ()'])
    expect(rig.texts('{body}:x')).toEqual(['NEAR(a b) * a* ^ {body}:x col:x : - ()'])
    expect(rig.texts('"say ""hi"')).toEqual(['say "hi"'])
    // A NUL separates words like a space.
    expect(rig.texts('a\u0000b')).toEqual(['NEAR(a b) * a* ^ {body}:x col:x : - ()', 'a AND b OR NOT c'])
    expect(planSearch('a\u0000b').terms).toEqual(['a', 'b'])
  })

  it('a 10 kB and a 1 MB query run in bounded time', () => {
    for (const size of [10_000, 1_000_000]) {
      const text = 'C++ multi-agent systems '.repeat(Math.ceil(size / 24)).slice(0, size)
      const started = performance.now()
      const page = rig.find(text)
      expect(performance.now() - started).toBeLessThan(1000)
      expect(page.rows.map((r) => r.text)).toEqual(['C++ and multi-agent systems'])
    }
  })

  it('a seeded fuzz of 3000 strings: planning and searching never throw', () => {
    const random = seeded(20261129)
    const pieces = [
      ...`!"#$%&'()*+,-./:;<=>?@[\\]^_\`{|}~`.split(''),
      '"',
      '"',
      '""',
      ' ',
      ' ',
      '  ',
      '\t',
      '\n',
      'from:',
      'in:',
      'in:"',
      'before:',
      'after:',
      'has:link',
      'has:',
      '2026-01-31',
      '2026-13',
      '2026',
      'AND',
      'OR',
      'NOT',
      'NEAR(',
      '{body}:',
      'scope:',
      'C++',
      'multi-agent',
      'abc',
      'hi',
      'a',
      'ß',
      'İ',
      'ς',
      '北京',
      '京',
      '東京',
      '会議',
      '한국',
      '😀',
      '👩‍👧',
      '\u0301',
      '\u0308',
      'e\u0301',
      '\u200d',
      '\u202e',
      'مرحبا',
      '\u0000',
      '\u0007',
      '\ud800',
      '\udfff',
    ]
    const failures: string[] = []
    for (let i = 0; i < 3000; i++) {
      let text = ''
      const n = 1 + Math.floor(random() * 12)
      for (let k = 0; k < n; k++) {
        text +=
          random() < 0.15
            ? String.fromCharCode(Math.floor(random() * 0x10000)) // any UTF-16 unit at all, surrogates included
            : pieces[Math.floor(random() * pieces.length)]!
      }
      try {
        run(text, 1 + Math.floor(random() * 5))
      } catch (err) {
        failures.push(`${JSON.stringify(text)}: ${(err as Error).message}`)
      }
    }
    expect(failures).toEqual([])
  })
})
