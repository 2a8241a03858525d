import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { MESSAGE_KEY_SLOTS } from '../../../../../src/main/core/features/messages/time-key'
import { planSearch } from '../../../../../src/main/core/features/search/query'
import { Searcher } from '../../../../../src/main/core/features/search/searcher'
import { msg, T } from '../stores'
import { searchRig, type SearchRig } from './rig'

describe('keyset paging of hits', () => {
  let rig: SearchRig
  beforeEach(() => {
    rig = searchRig()
  })
  afterEach(() => rig.db.close())

  /** Every page of `text` at `limit`, following next. */
  const pages = (text: string, limit: number): string[][] => {
    const out: string[][] = []
    let belowKey: number | null = null
    for (;;) {
      const page = rig.find(text, { belowKey }, limit)
      out.push(page.rows.map((r) => r.text))
      if (page.nextKey === null) return out
      expect(page.rows.length, 'a page with a next is full').toBe(limit)
      expect(page.nextKey).toBe(page.rows.at(-1)!.k)
      belowKey = page.nextKey
    }
  }

  for (const term of ['needle', 'ne']) {
    describe(term.length < 3 ? 'checked in steps (a short term)' : 'through the index', () => {
      beforeEach(() => {
        rig.put(...Array.from({ length: 10 }, (_, i) => ({ text: `needle ${i}`, ts: T + i * 1000 })), 'hay', 'more hay')
      })
      const newestFirst = Array.from({ length: 10 }, (_, i) => `needle ${9 - i}`)

      it('a limit equal to the number of hits is one page with no next', () => {
        expect(pages(term, 10)).toEqual([newestFirst])
      })

      it('a limit one below the hits gives a next, and the next page holds the last hit alone', () => {
        expect(pages(term, 9)).toEqual([newestFirst.slice(0, 9), newestFirst.slice(9)])
      })

      it('a limit above the hits is one page', () => {
        expect(pages(term, 11)).toEqual([newestFirst])
        expect(pages(term, 200)).toEqual([newestFirst])
      })

      it('many small pages give every hit once, in order', () => {
        for (const limit of [1, 2, 3, 4]) {
          const got = pages(term, limit)
          expect(got.flat()).toEqual(newestFirst)
          expect(got.length).toBe(Math.ceil(10 / limit))
        }
      })

      it('a cursor below everything finds nothing', () => {
        expect(rig.find(term, { belowKey: 0 })).toEqual({ rows: [], nextKey: null })
        expect(rig.find(term, { belowKey: T * MESSAGE_KEY_SLOTS })).toEqual({ rows: [], nextKey: null })
      })
    })
  }

  it('hits sharing one millisecond keep distinct keys and page without loss or repeat', () => {
    const same = Array.from({ length: 7 }, (_, i) => msg({ text: `tie ${i}`, ts: T }))
    // Inserted in reverse: within a millisecond the key follows insertion.
    rig.messages.insertMany([...same].reverse())
    rig.put({ text: 'tie later', ts: T + 1 }, { text: 'tie earlier', ts: T - 1 })
    const all = rig.texts('tie')
    expect(all).toHaveLength(9)
    expect(new Set(all).size).toBe(9)
    expect(all[0]).toBe('tie later')
    expect(all.at(-1)).toBe('tie earlier')
    for (const limit of [1, 2, 3]) expect(pages('tie', limit).flat()).toEqual(all)
    const keys = (rig.db.prepare(`SELECT rowid AS k FROM messages WHERE ts = ? ORDER BY rowid`).all(T) as { k: number }[]).map((r) => r.k)
    expect(keys).toEqual(Array.from({ length: 7 }, (_, i) => T * MESSAGE_KEY_SLOTS + i))
  })

  it('a short term over more than the 10k candidate budget stops at it with a next, and going on finds the rest', () => {
    const started = performance.now()
    const filler = Array.from({ length: 25_000 }, (_, i) => msg({ text: `filler ${i % 97}`, ts: T + 10 + i }))
    const hits = [msg({ text: 'qz oldest', ts: T + 1 }), msg({ text: 'qz old', ts: T + 2 }), msg({ text: 'qz newest', ts: T + 30_000 })]
    rig.messages.insertMany([...hits, ...filler])
    // The scan reads the messages themselves: no indexing needed for a query of short words only.
    const first = rig.find('qz', {}, 10)
    expect(first.rows.map((r) => r.text)).toEqual(['qz newest'])
    expect(first.nextKey).not.toBeNull()
    const rest: string[] = []
    let belowKey = first.nextKey
    let requests = 1
    while (belowKey !== null) {
      const page = rig.find('qz', { belowKey }, 10)
      rest.push(...page.rows.map((r) => r.text))
      belowKey = page.nextKey
      expect(++requests).toBeLessThan(10)
    }
    expect(rest).toEqual(['qz old', 'qz oldest'])
    expect(rig.texts('qz')).toEqual(['qz newest', 'qz old', 'qz oldest'])
    expect(performance.now() - started).toBeLessThan(3000)
  })

  it('reads the candidates of a request with one query however many it looks at (each restart reloaded the doclists)', () => {
    rig.put(...Array.from({ length: 3000 }, (_, i) => ({ text: `meeting ${i % 7}`, ts: T + i })))
    let runs = 0
    const counting = new Proxy(rig.db, {
      get: (db, key) =>
        key !== 'prepare'
          ? Reflect.get(db, key)
          : (sql: string) =>
              new Proxy(db.prepare(sql), {
                get: (stmt, k) => {
                  const v: unknown = Reflect.get(stmt, k)
                  // Index queries only (the list of month tables is read too).
                  if (typeof v !== 'function') return v
                  if (!['all', 'get', 'iterate'].includes(String(k)) || !sql.includes('MATCH')) return (v as (...a: unknown[]) => unknown).bind(stmt)
                  return (...args: unknown[]) => (runs++, (v as (...a: unknown[]) => unknown).apply(stmt, args))
                },
              }),
    })
    const searcher = new Searcher(counting)
    const page = searcher.find(planSearch('meeting qz'), { conversationId: null, sender: null, belowKey: null }, 30)
    expect(page).toEqual({ rows: [], nextKey: null })
    expect(runs).toBe(1)
    const found = searcher.find(planSearch('meeting 6'), { conversationId: null, sender: null, belowKey: null }, 30)
    expect(found.rows.map((r) => r.text)).toEqual(Array.from({ length: 30 }, () => 'meeting 6'))
    expect(found.nextKey).toBe(found.rows.at(-1)!.k)
  })
})
