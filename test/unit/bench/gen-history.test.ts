import { join } from 'node:path'
import Database from 'better-sqlite3'
import { afterEach, describe, expect, it } from 'vitest'
import { generateHistory, rareWordCounts } from '../../../bench/history/generate'
import { MESSAGE_KEY_SLOTS, messageKeyBase } from '../../../src/main/core/features/messages/time-key'
import { ParleyCore } from '../../../src/main/core/engine'
import { tmpDirs } from '../../helpers/tmp-dir'

/** The history generator the benches use: a data directory Parley opens as it is. */
describe('generateHistory', () => {
  const dirs = tmpDirs('parley-gen-')
  afterEach(() => dirs.cleanup())

  const make = (seed = 7) => generateHistory({ dataDir: dirs.make(), messages: 2000, user: 'me', conversations: 12, seed, bigConversation: 500 })

  const rows = (dataDir: string) => {
    const db = new Database(join(dataDir, 'history.db'), { readonly: true })
    try {
      return db.prepare(`SELECT rowid AS k, id, conversation_id AS c, sender, direction, ts, text, status FROM messages ORDER BY rowid`).all() as {
        k: number
        id: string
        c: string
        sender: string
        direction: 'in' | 'out'
        ts: number
        text: string
        status: string
      }[]
    } finally {
      db.close()
    }
  }

  it('writes every conversation kind, the big conversation exactly, and the rare words as counted', () => {
    const h = make()
    const all = rows(h.dataDir)
    expect(all).toHaveLength(2000)
    const kinds = new Set(all.map((m) => m.c.slice(0, m.c.indexOf(':'))))
    expect([...kinds].sort()).toEqual(['dm', 'group', 'room', 'system'])
    expect(all.some((m) => /^group:grp_[a-z2-7]{20}$/.test(m.c))).toBe(true)
    expect(all.filter((m) => m.c === 'system:eu').every((m) => m.direction === 'in' && m.sender === 'System')).toBe(true)
    expect(all.filter((m) => m.c === h.bigConversation)).toHaveLength(500)
    expect(h.conversations.reduce((s, c) => s + c.messages, 0)).toBe(2000)
    for (const [word, n] of Object.entries(rareWordCounts(2000))) {
      expect(all.filter((m) => m.text.includes(word))).toHaveLength(n)
      expect(h.rareWords[word]).toBe(n)
    }
    // The mix a search has to cope with.
    for (const sample of ['北京', 'C++', 'multi-agent', 'https://', 'café']) expect(all.some((m) => m.text.includes(sample)), sample).toBe(true)
  })

  it('keys every message by its time, in time order, with unique ids and sensible statuses', () => {
    const h = make()
    const all = rows(h.dataDir)
    expect(new Set(all.map((m) => m.id)).size).toBe(all.length)
    for (let i = 0; i < all.length; i++) {
      const m = all[i]!
      expect(m.k - messageKeyBase(m.ts)).toBeGreaterThanOrEqual(0)
      expect(m.k - messageKeyBase(m.ts)).toBeLessThan(MESSAGE_KEY_SLOTS)
      if (i > 0) expect(m.ts).toBeGreaterThanOrEqual(all[i - 1]!.ts)
      expect(m.direction === 'out' ? ['read', 'delivered'] : ['seen']).toContain(m.status)
      if (m.direction === 'out') expect(m.sender).toBe('me')
    }
    expect(all[0]!.ts).toBeGreaterThanOrEqual(h.firstTs)
    expect(all.at(-1)!.ts - all[0]!.ts).toBeGreaterThan(365 * 24 * 3600_000)
  })

  it('is the same history for the same seed', () => {
    const a = rows(make(3).dataDir)
    const b = rows(make(3).dataDir)
    expect(b).toEqual(a)
    expect(rows(make(4).dataDir)).not.toEqual(a)
  })

  it('is a data directory the engine opens as the user, with its conversations and pages', async () => {
    const h = make()
    const core = await ParleyCore.open({ dataDir: h.dataDir })
    try {
      const state = await core.services.account.getState()
      expect(state).toMatchObject({ configured: true, user: 'me', problem: null })
      const list = await core.services.conversations.list()
      expect(list.map((c) => c.id).sort()).toEqual(h.conversations.map((c) => c.id).sort())
      const group = list.find((c) => c.kind === 'group')!
      expect(group.title).not.toBe(group.peer)
      expect((await core.services.groups.list()).map((g) => g.conversationId)).toContain(group.id)
      const page = await core.services.messages.page({ conversationId: h.bigConversation!, limit: 20 })
      expect(page.messages).toHaveLength(20)
      expect(page.hasMore).toBe(true)
    } finally {
      await core.close()
    }
  })
})
