import { afterEach, describe, expect, it } from 'vitest'
import { messageKeyBase } from '../../../../../src/main/core/features/messages/time-key'
import { quarterOfKey } from '../../../../../src/main/core/features/search/partitions'
import { msg } from '../stores'
import { searchRig, type SearchRig } from './rig'

const day = (iso: string): number => Date.parse(`${iso}T12:00:00Z`)

describe('the index by quarter', () => {
  let rig: SearchRig
  afterEach(() => rig.db.close())

  it('puts each message in the table of its quarter and reads them newest first across quarters, with paging and date bounds', () => {
    rig = searchRig()
    const months = ['2024-01-15', '2024-05-15', '2024-11-15', '2025-07-01', '1999-05-05', '2150-01-01']
    rig.put(...months.map((d) => ({ text: `walrus on ${d}`, ts: day(d) })))
    // Before 2000 and after 2100 share the first and last tables.
    expect(rig.indexer.partitions.all().map((p) => p.quarter)).toEqual([2099 * 4 + 3, 2025 * 4 + 2, 2024 * 4 + 3, 2024 * 4 + 1, 2024 * 4, 2000 * 4])
    const newestFirst = ['walrus on 2150-01-01', 'walrus on 2025-07-01', 'walrus on 2024-11-15', 'walrus on 2024-05-15', 'walrus on 2024-01-15', 'walrus on 1999-05-05']
    expect(rig.texts('walrus')).toEqual(newestFirst)
    const page = rig.find('walrus', {}, 2)
    expect(page.rows.map((r) => r.text)).toEqual(newestFirst.slice(0, 2))
    expect(rig.find('walrus', { belowKey: page.nextKey }, 3).rows.map((r) => r.text)).toEqual(newestFirst.slice(2, 5))
    expect(rig.texts('walrus before:2024-06-01 after:2024-01-31')).toEqual(['walrus on 2024-05-15'])
    expect(rig.texts('walrus before:2024-05-15')).toEqual(['walrus on 2024-01-15', 'walrus on 1999-05-05'])
  })

  it('a quarter boundary belongs to the new quarter, by key', () => {
    const first = Date.UTC(2024, 3, 1)
    expect(quarterOfKey(messageKeyBase(first))).toBe(2024 * 4 + 1)
    expect(quarterOfKey(messageKeyBase(first) - 1)).toBe(2024 * 4)
  })

  it('a key taken again after a delete holds only the new text', () => {
    rig = searchRig()
    const ts = day('2024-06-01')
    const [old] = rig.put({ text: 'narwhal old text', ts })
    const key = (id: string): number => (rig.db.prepare(`SELECT rowid AS k FROM messages WHERE id = ?`).get(id) as { k: number }).k
    const oldKey = key(old!.id)
    rig.messages.remove(old!.id)
    const fresh = msg({ text: 'narwhal fresh text', ts })
    rig.messages.insertMany([fresh])
    expect(key(fresh.id)).toBe(oldKey)
    rig.indexer.catchUp()
    expect(rig.texts('old text')).toEqual([])
    expect(rig.texts('narwhal')).toEqual(['narwhal fresh text'])
  })
})
