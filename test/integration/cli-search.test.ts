/**
 * `parley search` as a script and a person see it: alice and bob chat over a real
 * Mosquitto with the real bin, then — with the broker stopped — alice's history is
 * searched: accents folded both ways, C++, multi-agent, Chinese, a piece inside a
 * word; newest first; --in by name or id; --json; hostile queries answered calmly.
 */
import Database from 'better-sqlite3'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { messageKeyBase } from '../../src/main/core/features/messages/api'
import { useCliLab } from './support/cli-lab'
import { parley, type Run } from './support/processes'

interface JsonHit {
  id: string
  conversationId: string
  conversationTitle: string
  sender: string
  ts: string
  text: string
  snippet: string
  highlights: [number, number][]
}

/** A stack frame: `    at fn (file.js:12:34)`. */
const STACK = /^\s+at .*:\d+:\d+\)?$/m
const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/
const lines = (r: Run): string[] => r.stdout.split('\n').filter(Boolean)
const hits = (r: Run): JsonHit[] => lines(r).map((l) => JSON.parse(l) as JsonHit)
/** The highlighted pieces of a JSON hit's snippet. */
const marked = (h: JsonHit): string[] => h.highlights.map(([s, e]) => h.snippet.slice(s, e))

describe('parley search', () => {
  const lab = useCliLab('parley-cli-search-')
  const { as, local, start } = lab
  const search = (...args: string[]) => parley(['search', ...args, ...local('alice')])

  beforeAll(async () => {
    // bob listens (his broker session exists from here on) while alice writes to him.
    const bob = start(['listen', ...as('bob'), '--count', '3', '--timeout', '40', '--verbose'])
    await bob.waitFor('connection: connected')
    for (const text of ['Meet me at the café at noon', 'I am reading about C++ templates', '我明天去北京']) {
      expect((await parley(['send', ...as('alice'), '--to', 'bob', text])).code).toBe(0)
    }
    expect(await bob.exited).toBe(0)
    // Then alice listens while bob answers.
    const alice = start(['listen', ...as('alice'), '--count', '3', '--timeout', '40', '--verbose'])
    await alice.waitFor('connection: connected')
    for (const text of ['cafe sounds good', 'multi-agent systems are my thing', 'supercalifragilistic is a long word']) {
      expect((await parley(['send', ...as('bob'), '--to', 'alice', text])).code).toBe(0)
    }
    expect(await alice.exited).toBe(0)
    // Last, one to carol (who never connected: it waits at the broker, stored in alice's history all the same).
    expect((await parley(['send', ...as('alice'), '--to', 'carol', 'café with carol tomorrow?'])).code).toBe(0)
    // Everything from here on runs with no broker at all.
    await lab.broker.stop()
  }, 120_000)

  it('finds café with "cafe" and cafe with "café", newest first, one line each: time, conversation, sender: [match]', async () => {
    for (const q of ['cafe', 'café', 'CAFE']) {
      const r = await search(q)
      expect(r.code, r.stderr).toBe(0)
      const got = lines(r)
      expect(got, q).toHaveLength(3)
      const shape = got.map((l) => /^(\S+) {2}(\S+) {2}(\w+): (.*)$/.exec(l))
      expect(shape.every(Boolean), got.join('\n')).toBe(true)
      expect(shape.map((m) => [m![2], m![3], m![4]])).toEqual([
        ['carol', 'alice', '[café] with carol tomorrow?'],
        ['bob', 'bob', '[cafe] sounds good'],
        ['bob', 'alice', 'Meet me at the [café] at noon'],
      ])
      const times = shape.map((m) => m![1]!)
      for (const t of times) expect(t).toMatch(ISO)
      expect([...times].sort().reverse()).toEqual(times)
      expect(r.stderr).toBe('')
    }
  })

  it('finds C++, multi-agent, 北京 and a piece inside a long word, highlighted', async () => {
    const cases: [string, string, string[]][] = [
      ['C++', 'I am reading about C++ templates', ['C++']],
      ['c++ templates', 'I am reading about C++ templates', ['C++', 'templates']],
      ['multi-agent', 'multi-agent systems are my thing', ['multi-agent']],
      ['北京', '我明天去北京', ['北京']],
      ['fragil', 'supercalifragilistic is a long word', ['fragil']],
    ]
    for (const [q, text, pieces] of cases) {
      const r = await search(q, '--json')
      expect(r.code, r.stderr).toBe(0)
      const found = hits(r)
      expect(found.map((h) => h.text), q).toEqual([text])
      // The highlighted pieces spell the query's words (multi-agent may come as one range or two around the hyphen).
      expect(marked(found[0]!).join(' ').replace('multi agent', 'multi-agent'), q).toBe(pieces.join(' '))
    }
    const plain = await search('fragil')
    expect(lines(plain)).toEqual([expect.stringMatching(/ {2}bob {2}bob: supercali\[fragil\]istic is a long word$/)])
  })

  it('--json: one object per line with the message, its conversation, ISO time, snippet and highlight ranges', async () => {
    const r = await search('cafe', '--json')
    expect(r.code).toBe(0)
    const found = hits(r)
    expect(found.map((h) => [h.conversationId, h.conversationTitle, h.sender, h.text])).toEqual([
      ['dm:carol', 'carol', 'alice', 'café with carol tomorrow?'],
      ['dm:bob', 'bob', 'bob', 'cafe sounds good'],
      ['dm:bob', 'bob', 'alice', 'Meet me at the café at noon'],
    ])
    for (const h of found) {
      expect(Object.keys(h).sort()).toEqual(['conversationId', 'conversationTitle', 'highlights', 'id', 'sender', 'snippet', 'text', 'ts'])
      expect(h.ts).toMatch(ISO)
      expect(h.id).toEqual(expect.any(String))
      expect(marked(h).map((p) => p.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase())).toEqual(['cafe'])
    }
    expect(found.map((h) => Date.parse(h.ts))).toEqual(found.map((h) => Date.parse(h.ts)).sort((a, b) => b - a))
    expect(new Set(found.map((h) => h.id)).size).toBe(3)
  })

  it('--in scopes to one conversation, by name or by id; --limit keeps the newest and says there are more', async () => {
    for (const scope of ['bob', 'dm:bob']) {
      const r = await search('cafe', '--in', scope, '--json')
      expect(r.code, r.stderr).toBe(0)
      expect(hits(r).map((h) => h.text), scope).toEqual(['cafe sounds good', 'Meet me at the café at noon'])
    }
    const carol = await search('cafe', '--in', 'dm:carol', '--json')
    expect(hits(carol).map((h) => h.text)).toEqual(['café with carol tomorrow?'])

    const one = await search('cafe', '--limit', '1')
    expect(one.code).toBe(0)
    expect(lines(one)).toEqual([expect.stringContaining('[café] with carol tomorrow?')])
    expect(one.stderr).toContain('there are more')
    const two = await search('cafe', '--limit', '2', '--json')
    expect(hits(two).map((h) => h.text)).toEqual(['café with carol tomorrow?', 'cafe sounds good'])
  })

  it('filters in the query: from:bob; what the query could not use is said on stderr', async () => {
    const r = await search('cafe from:bob', '--json')
    expect(r.code, r.stderr).toBe(0)
    expect(hits(r).map((h) => [h.sender, h.text])).toEqual([['bob', 'cafe sounds good']])

    const badDate = await search('cafe before:2026-13-01', '--json')
    expect(badDate.code).toBe(0)
    expect(hits(badDate)).toHaveLength(3)
    expect(badDate.stderr).toBe('before: needs a date like before:2026-01-31.\n')

    const nowhere = await search('cafe', '--in', 'nobody')
    expect(nowhere).toEqual({ code: 0, stdout: '', stderr: 'No conversation is called "nobody".\nNo messages match.\n' })
  })

  it('no match: nothing on stdout, "No messages match." on stderr, exit 0', async () => {
    const r = await search('zebra')
    expect(r).toEqual({ code: 0, stdout: '', stderr: 'No messages match.\n' })
    const json = await search('zebra', '--json')
    expect(json).toMatchObject({ code: 0, stdout: '' })
  })

  it('hostile queries exit 0 with no stack trace, whatever they find', async () => {
    for (const q of ['"', 'AND', '*', 'C++', '', 'NEAR(', '"unbalanced', 'from:', 'in:nobody cafe', 'x'.repeat(10_000), 'café '.repeat(2_000)]) {
      const r = await search(q)
      const what = `query ${JSON.stringify(q.slice(0, 30))}`
      expect(r.code, `${what}: ${r.stderr}`).toBe(0)
      expect(r.stderr, what).not.toMatch(STACK)
      expect(r.stderr, what).not.toMatch(/Error|SQLITE|fts5/i)
      for (const l of lines(r)) expect(l, what).toMatch(/^\S+Z {2}\S.*: /)
    }
  })

  it('usage errors exit 2: no query, two queries, a bad --limit', async () => {
    for (const args of [[], ['a', 'b'], ['a', '--limit', '0']]) {
      const r = await parley(['search', ...args, ...local('alice')])
      expect(r.code, args.join(' ')).toBe(2)
      expect(r.stderr).not.toMatch(STACK)
    }
  })

  it('history not indexed yet (as after an upgrade or an import) is indexed first, so its oldest message is found in one run', async () => {
    // 6000 messages of 2024 stored the way migration 0019 leaves an upgraded history: queued, not indexed.
    const db = new Database(join(lab.dataDir('alice'), 'history.db'))
    try {
      const start = Date.UTC(2024, 0, 1)
      const insert = db.prepare(
        `INSERT INTO messages (rowid, id, conversation_id, sender, sender_device, direction, ts, seq, text, status, error, received_at)
         VALUES (?, ?, 'dm:bob', 'bob', NULL, 'in', ?, NULL, ?, 'seen', NULL, ?)`,
      )
      db.transaction(() => {
        for (let i = 0; i < 6000; i++) {
          const ts = start + i * 60_000
          const text = i === 0 ? 'the oldest one mentions a unicornword' : `archived note ${i}`
          insert.run(messageKeyBase(ts), `01800000-0000-7000-8000-${String(i).padStart(12, '0')}`, ts, text, ts)
        }
      })()
    } finally {
      db.close()
    }
    const r = await search('unicornword', '--json')
    expect(r.code, r.stderr).toBe(0)
    expect(hits(r).map((h) => [h.ts, h.text])).toEqual([['2024-01-01T00:00:00.000Z', 'the oldest one mentions a unicornword']])
    expect(r.stderr).toBe('Indexing 6000 messages for search (once, after an upgrade or import)…\n')
    // Once indexed, it stays indexed: the next run says nothing about it.
    expect(await search('archived note 5999')).toMatchObject({ code: 0, stderr: '' })
  })
})
