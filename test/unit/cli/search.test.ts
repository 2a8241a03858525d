import { describe, expect, it } from 'vitest'
import { parseCli, UsageError } from '../../../src/cli/args'
import { hitJson, hitLine, markRanges, PLAIN_MARKS, TERMINAL_MARKS } from '../../../src/cli/commands/search'
import type { SearchHit } from '../../../src/shared/contract'

const hit = (over: Partial<SearchHit['snippet']> = {}, text = 'meet at the café at noon'): SearchHit => ({
  message: { id: 'm1', conversationId: 'dm:bob', sender: 'bob', direction: 'in', ts: Date.UTC(2026, 10, 29, 9, 30), text, status: 'received', error: null },
  conversationKind: 'dm',
  conversationTitle: 'bob',
  snippet: { text, highlights: [[12, 16]], ...over },
})

const input = (argv: string[]) => parseCli(['search', ...argv, '--user', 'alice']).input

describe('parley search: reading the command line', () => {
  it('takes one query, --in as an id (the scope) or a name (an in: filter before the query), --limit', () => {
    expect(input(['cafe'])).toEqual({ text: 'cafe', conversationId: null, limit: 20 })
    expect(input(['cafe', '--in', 'dm:bob', '--limit', '500'])).toEqual({ text: 'cafe', conversationId: 'dm:bob', limit: 500 })
    expect(input(['cafe', '--in', 'room:team/coding_issues'])).toMatchObject({ conversationId: 'room:team/coding_issues' })
    expect(input(['cafe', '--in', 'bob'])).toEqual({ text: 'in:bob cafe', conversationId: null, limit: 20 })
    expect(input(['cafe', '--in', 'Weekend "big" plans'])).toMatchObject({ text: 'in:"Weekend big plans" cafe', conversationId: null })
    // Whatever was typed is a query: the engine makes sense of it (never an error for its content).
    for (const q of ['', '"', 'AND', '*', 'C++', 'x'.repeat(10_000)]) expect(input([q])).toMatchObject({ text: q })
  })

  it('refuses no query, two queries, an empty --in and a bad --limit as usage errors', () => {
    expect(() => input([])).toThrow(UsageError)
    expect(() => input(['a', 'b'])).toThrow(/exactly one query/)
    expect(() => input(['a', '--in', ' '])).toThrow(/--in takes a conversation id or name/)
    expect(() => input(['a', '--limit', '0'])).toThrow(/--limit/)
    expect(() => input(['a', '--limit', '10001'])).toThrow(/--limit/)
  })
})

describe('parley search: printing a hit', () => {
  it('one line: time, conversation, sender and the snippet with [brackets] in a pipe, bold+underline on a terminal', () => {
    expect(hitLine(hit(), PLAIN_MARKS)).toBe('2026-11-29T09:30:00.000Z  bob  bob: meet at the [café] at noon')
    expect(hitLine(hit(), TERMINAL_MARKS)).toBe('2026-11-29T09:30:00.000Z  bob  bob: meet at the \x1b[1;4mcafé\x1b[22;24m at noon')
  })

  it('marks several ranges in order and ignores empty or out-of-range ones', () => {
    expect(markRanges('C++ templates and C++', [[0, 3], [18, 21]], PLAIN_MARKS)).toBe('[C++] templates and [C++]')
    expect(markRanges('abc', [[1, 1], [2, 99]], PLAIN_MARKS)).toBe('ab[c]')
    expect(markRanges('abc', [], PLAIN_MARKS)).toBe('abc')
  })

  it("a sender's control characters cannot drive the terminal or break the line; highlights stay on their words", () => {
    const evil = 'a\x1b]0;owned\x07\nsupercalifragilistic'
    const line = hitLine(hit({ text: evil, highlights: [[evil.indexOf('fragil'), evil.indexOf('fragil') + 6]] }, evil), PLAIN_MARKS)
    expect([...line].filter((ch) => ch.charCodeAt(0) < 0x20 || (ch.charCodeAt(0) >= 0x7f && ch.charCodeAt(0) <= 0x9f))).toEqual([])
    expect(line).toContain('supercali[fragil]istic')
    const bidi = 'x\u202eevil\u2066 supercalifragilistic'
    const flipped = hitLine(hit({ text: bidi, highlights: [[bidi.indexOf('fragil'), bidi.indexOf('fragil') + 6]] }, bidi), PLAIN_MARKS)
    expect(flipped).not.toMatch(/[\u202a-\u202e\u2066-\u2069]/)
    expect(flipped).toContain('supercali[fragil]istic')
  })

  it('--json: one object with the message, its conversation, ISO time, snippet and ranges', () => {
    expect(JSON.parse(hitJson(hit()))).toEqual({
      id: 'm1',
      conversationId: 'dm:bob',
      conversationTitle: 'bob',
      sender: 'bob',
      ts: '2026-11-29T09:30:00.000Z',
      text: 'meet at the café at noon',
      snippet: 'meet at the café at noon',
      highlights: [[12, 16]],
    })
  })
})
