import { afterEach, describe, expect, it } from 'vitest'
import { MAX_TEXT_LENGTH } from '../../../../../src/shared/schemas'
import { tmpDirs } from '../../../../helpers/tmp-dir'
import { historyWorld, type HistoryWorld } from './world'

const T = Date.UTC(2026, 10, 20, 9, 30)
let n = 0
const id = () => `00000000-0000-7000-8000-${String(++n).padStart(12, '0')}`

describe('history feature: hostile files and paths', () => {
  const dirs = tmpDirs('parley-history-safety-')
  const worlds: HistoryWorld[] = []
  const world = (dir = dirs.make()) => {
    const w = historyWorld(dir)
    worlds.push(w)
    return { w, dir }
  }
  afterEach(() => {
    for (const w of worlds.splice(0)) w.close()
    dirs.cleanup()
  })

  it('an imported text longer than a message can be is left out and counted, not stored', async () => {
    const { w } = world()
    const row = (text: string) => ({ id: id(), sender: 'bob', direction: 'in', ts: T, text, status: 'received' })
    const doc = {
      format: 'parley-history',
      version: 1,
      account: 'alice',
      conversations: [{ id: 'dm:bob', kind: 'dm', peer: 'bob', title: 'bob', messages: [row('é'.repeat(MAX_TEXT_LENGTH)), row('é'.repeat(MAX_TEXT_LENGTH + 1))] }],
    }
    const job = await w.finished((await w.service.importHistory({ text: JSON.stringify(doc) })).id)
    expect(job).toMatchObject({ state: 'done', added: 1, invalid: 1 })
    expect(w.rows().map((r) => r.text.length)).toEqual([MAX_TEXT_LENGTH])
  })
})
