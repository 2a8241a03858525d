import { readFileSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { MAX_TEXT_LENGTH } from '../../../../../src/shared/schemas'
import { useHistoryWorlds } from './world'

const T = Date.UTC(2026, 10, 20, 9, 30)
let n = 0
const id = () => `00000000-0000-7000-8000-${String(++n).padStart(12, '0')}`

describe('history feature: hostile files and paths', () => {
  const { world, dirs } = useHistoryWorlds('parley-history-safety-')

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

  it('an imported id that is not a UUID (Parley writes no other) is left out: a long one could not be a page cursor', async () => {
    const { w } = world()
    const row = (rowId: string) => ({ id: rowId, sender: 'bob', direction: 'in', ts: T, text: rowId.slice(0, 4), status: 'received' })
    const doc = {
      format: 'parley-history',
      version: 1,
      account: 'alice',
      conversations: [{ id: 'dm:bob', kind: 'dm', peer: 'bob', title: 'bob', messages: [row('x'.repeat(100)), row('not-a-uuid'), row(id())] }],
    }
    const job = await w.finished((await w.service.importHistory({ text: JSON.stringify(doc) })).id)
    expect(job).toMatchObject({ state: 'done', added: 1, invalid: 2 })
    expect(w.rows().map((r) => r.text)).toEqual(['0000'])
  })

  it("a file's own chunks (not made by the parser from its messages) are left out: no batch of any size, no TypeError", async () => {
    const { w } = world()
    const row = { id: id(), sender: 'bob', direction: 'in', ts: T, text: 'smuggled', status: 'received' }
    const forged = (c: object) => ({ id: 'dm:bob', kind: 'dm', peer: 'bob', title: 'bob', ...c })
    const doc = {
      format: 'parley-history',
      version: 1,
      account: 'alice',
      conversations: [forged({ chunks: [JSON.stringify([row])], count: 1 }), forged({ chunks: ['5'], count: 1 }), forged({ messages: [{ ...row, id: id(), text: 'fine' }] })],
    }
    const job = await w.finished((await w.service.importHistory({ text: JSON.stringify(doc) })).id)
    expect(job).toMatchObject({ state: 'done', added: 1, invalid: 2, error: null })
    expect(w.rows().map((r) => r.text)).toEqual(['fine'])
  })

  it("an export never writes over the data directory's own files, also not through a link; a new file there or one in exports is fine", async () => {
    const { w, dir } = world()
    w.seed([{ id: id(), conversationId: 'dm:bob', sender: 'bob', senderDevice: null, direction: 'in', ts: T, seq: null, text: 'hi', status: 'received' }])
    const settings = join(dir, 'settings.json')
    writeFileSync(settings, '{"user":"alice"}')
    const outside = join(dirs.make(), 'innocent.json')
    symlinkSync(settings, outside)
    for (const path of [settings, outside]) {
      await expect(w.service.exportHistory({ conversationId: 'dm:bob', format: 'json', path })).rejects.toMatchObject({ code: 'invalid-argument' })
    }
    expect(readFileSync(settings, 'utf8')).toBe('{"user":"alice"}')
    // The exports folder is made by a first export; a file there may be replaced.
    expect((await w.finished((await w.service.exportHistory({ conversationId: 'dm:bob', format: 'json' })).id)).state).toBe('done')
    writeFileSync(join(dir, 'exports', 'again.json'), 'old')
    for (const path of [join(dir, 'new.json'), join(dir, 'exports', 'again.json')]) {
      const job = await w.finished((await w.service.exportHistory({ conversationId: 'dm:bob', format: 'json', path })).id)
      expect(job).toMatchObject({ state: 'done', path })
      expect(readFileSync(path, 'utf8')).toContain('"text":"hi"')
    }
  })
})
