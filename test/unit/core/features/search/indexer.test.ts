import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { ALL_MIGRATIONS } from '../../../../../src/main/core/features'
import { ConversationStore } from '../../../../../src/main/core/features/conversations/store'
import { MessageStore } from '../../../../../src/main/core/features/messages/store'
import { SearchIndexer } from '../../../../../src/main/core/features/search/indexer'
import { planSearch } from '../../../../../src/main/core/features/search/query'
import { Searcher } from '../../../../../src/main/core/features/search/searcher'
import { wipeHistory } from '../../../../../src/main/core/kernel/wipe-history'
import { openDatabase } from '../../../../../src/main/core/store/open-database'
import { tmpDirs } from '../../../../helpers/tmp-dir'
import { msg, T } from '../stores'
import { searchRig, type SearchRig } from './rig'

describe('search indexer', () => {
  let rig: SearchRig
  afterEach(() => rig?.db.open && rig.db.close())

  const queued = (): number[] => (rig.db.prepare(`SELECT rowid AS k FROM search_queue ORDER BY rowid`).all() as { k: number }[]).map((r) => r.k)
  const keyOf = (id: string): number => (rig.db.prepare(`SELECT rowid AS k FROM messages WHERE id = ?`).get(id) as { k: number }).k
  /** Rowids the index itself holds for a phrase (no join with messages: what is really in the index). */
  const inIndex = (phrase: string): number[] =>
    rig.indexer.partitions
      .all()
      .flatMap((p) => (rig.db.prepare(`SELECT rowid AS k FROM ${p.name} WHERE ${p.name} MATCH ?`).all(`"${phrase}"`) as { k: number }[]).map((r) => r.k))
      .sort((a, b) => a - b)

  it('a message stored through MessageStore is queued in the same transaction and searchable once indexed', () => {
    rig = searchRig()
    const a = msg({ text: 'queued kiwi' })
    rig.messages.insertMany([a])
    expect(queued()).toEqual([keyOf(a.id)])
    expect(rig.indexer.pending()).toBe(1)
    expect(rig.indexer.indexed()).toBe(0)
    expect(rig.texts('kiwi')).toEqual([])
    expect(rig.indexer.indexBatch(10)).toBe(1)
    expect(queued()).toEqual([])
    expect(rig.indexer.hasPending()).toBe(false)
    expect(rig.indexer.indexed()).toBe(1)
    expect(rig.texts('kiwi')).toEqual(['queued kiwi'])
    // A re-delivery stores nothing and queues nothing.
    rig.messages.insertMany([a])
    expect(queued()).toEqual([])
  })

  it('a transaction that fails stores and queues nothing', () => {
    rig = searchRig()
    const boom = rig.db.transaction(() => {
      rig.messages.insertMany([msg({ text: 'never stored' })])
      throw new Error('boom')
    })
    expect(() => boom()).toThrow('boom')
    expect(queued()).toEqual([])
    expect(rig.indexer.catchUp()).toBe(0)
  })

  it('indexes newest first in batches, reporting progress, until the queue is empty', () => {
    rig = searchRig()
    const batch = Array.from({ length: 25 }, (_, i) => msg({ text: `batch word ${i}`, ts: T + i }))
    rig.messages.insertMany([...batch].reverse())
    expect(rig.indexer.indexBatch(5)).toBe(5)
    // The five newest are searchable first.
    expect(rig.texts('batch word')).toEqual(['batch word 24', 'batch word 23', 'batch word 22', 'batch word 21', 'batch word 20'])
    const progress: [number, number][] = []
    expect(rig.indexer.catchUp(7, (indexed, pending) => progress.push([indexed, pending]))).toBe(20)
    expect(progress).toEqual([
      [7, 13],
      [14, 6],
      [20, 0],
    ])
    expect(rig.texts('batch word')).toHaveLength(25)
    expect(rig.indexer.catchUp()).toBe(0)
  })

  it('delete-for-me takes a message out of the index, and out of the queue when not indexed yet', () => {
    rig = searchRig()
    const [kept, gone] = rig.put('plum kept', 'plum gone')
    const goneKey = keyOf(gone!.id)
    expect(inIndex('plum')).toContain(goneKey)
    expect(rig.messages.remove(gone!.id)).toBe('dm:alice')
    // Never shown once deleted; taken out of the index by the next batch (its key may be taken again).
    expect(rig.texts('plum')).toEqual(['plum kept'])
    expect(rig.indexer.catchUp()).toBe(1)
    expect(inIndex('plum')).toEqual([keyOf(kept!.id)])
    expect(rig.texts('plum')).toEqual(['plum kept'])
    const waiting = msg({ text: 'plum waiting' })
    rig.messages.insertMany([waiting])
    rig.messages.remove(waiting.id)
    expect(queued()).toEqual([])
    expect(rig.indexer.catchUp()).toBe(1)
    expect(rig.texts('plum')).toEqual(['plum kept'])
  })

  it('deleting a conversation takes all its messages out of the index', () => {
    rig = searchRig()
    rig.put({ text: 'pear from alice', peer: 'alice' }, { text: 'pear two from alice', peer: 'alice' }, { text: 'pear from bob', peer: 'bob' })
    rig.messages.insertMany([msg({ text: 'pear queued from alice', peer: 'alice' })])
    rig.messages.removeConversation('dm:alice')
    expect(queued()).toEqual([])
    expect(rig.texts('pear')).toEqual(['pear from bob'])
    expect(rig.indexer.catchUp()).toBe(3)
    expect(inIndex('pear')).toHaveLength(1)
    expect(rig.texts('pear')).toEqual(['pear from bob'])
    // Offered again, the deleted messages stay out; a new one is found.
    rig.put({ text: 'pear again from alice', peer: 'alice' })
    expect(rig.texts('pear')).toEqual(['pear again from alice', 'pear from bob'])
  })

  it('a wiped history has an empty index that works: insert again, find again', () => {
    rig = searchRig()
    rig.put('fig before the wipe', 'fig two')
    rig.messages.insertMany([msg({ text: 'fig still queued' })])
    wipeHistory(rig.db)
    expect(rig.indexer.pending()).toBe(0)
    expect(rig.indexer.indexed()).toBe(0)
    expect(inIndex('fig')).toEqual([])
    expect(rig.texts('fig')).toEqual([])
    // The same store and indexer (their prepared statements) keep working on the emptied tables.
    rig.messages.insertMany([msg({ text: 'fig after the wipe' })])
    expect(rig.indexer.catchUp()).toBe(1)
    expect(rig.texts('fig')).toEqual(['fig after the wipe'])
    expect(rig.texts('fi')).toEqual(['fig after the wipe'])
  })

  describe('on disk', () => {
    const dirs = tmpDirs('parley-search-')
    afterEach(() => dirs.cleanup())

    const open = (path: string) => {
      const { db } = openDatabase(path, ALL_MIGRATIONS)
      const messages = new MessageStore(db, new ConversationStore(db))
      return { db, messages, indexer: new SearchIndexer(db), searcher: new Searcher(db) }
    }
    const find = (s: Searcher, text: string): string[] =>
      s.find(planSearch(text), { conversationId: null, sender: null, belowKey: null }, 50).rows.map((r) => r.text)

    it('messages still queued when the app closes are indexed after it opens again', () => {
      const path = join(dirs.make(), 'history.db')
      const first = open(path)
      first.messages.insertMany([msg({ text: 'mango one' }), msg({ text: 'mango two' })])
      first.indexer.indexBatch(1)
      first.messages.insertMany([msg({ text: 'mango three' })])
      first.db.close()
      const second = open(path)
      try {
        expect(second.indexer.pending()).toBe(2)
        expect(second.indexer.catchUp()).toBe(2)
        expect(find(second.searcher, 'mango')).toEqual(['mango three', 'mango two', 'mango one'])
      } finally {
        second.db.close()
      }
    })

    it('a crash (no close, no checkpoint) between insert and indexing loses nothing', () => {
      const path = join(dirs.make(), 'history.db')
      const crashed = open(path)
      crashed.messages.insertMany([msg({ text: 'guava unindexed' })])
      // Another process opens the file while the first never closed it: what was committed is in the WAL.
      const next = open(path)
      try {
        expect(next.indexer.pending()).toBe(1)
        expect(next.indexer.catchUp()).toBe(1)
        expect(find(next.searcher, 'guava')).toEqual(['guava unindexed'])
      } finally {
        next.db.close()
        crashed.db.close()
      }
    })
  })
})
