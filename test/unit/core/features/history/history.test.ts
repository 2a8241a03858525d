import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { NewMessage } from '../../../../../src/main/core/features/messages/store'
import { useHistoryWorlds, type HistoryWorld } from './world'

const T = Date.UTC(2026, 10, 20, 9, 30)
let n = 0
const id = () => `00000000-0000-7000-8000-${String(++n).padStart(12, '0')}`
const incoming = (peer: string, text: string, ts: number, over: Partial<NewMessage> = {}): NewMessage => ({
  id: id(),
  conversationId: `dm:${peer}`,
  sender: peer,
  senderDevice: null,
  direction: 'in',
  ts,
  seq: null,
  text,
  status: 'received',
  ...over,
})
const mine = (peer: string, text: string, ts: number, status: NewMessage['status'] = 'delivered'): NewMessage => ({
  ...incoming(peer, text, ts),
  sender: 'alice',
  direction: 'out',
  status,
})

const HOSTILE = [
  '<script>alert("x")</script>',
  '**bold** _it_ [link](javascript:alert(1)) `code`',
  'Tom &amp; Jerry &lt;b&gt; &copy;',
  'שלום עולם مرحبا',
  'party 🎉👩‍👩‍👧',
  '北京欢迎你 日本語のテキスト',
  '1. not a list\n# not a heading\n> not a quote',
]

describe('history feature: export and import', () => {
  const { world } = useHistoryWorlds('parley-history-')

  /** bob's chat with hostile texts, and a second chat with carol. */
  const seedChats = (w: HistoryWorld) => {
    w.seed(HOSTILE.map((text, i) => (i % 2 ? mine('bob', text, T + i * 3600_000) : incoming('bob', text, T + i * 3600_000))))
    w.seed([incoming('carol', 'hi from carol', T), mine('carol', 'hi carol', T + 1000, 'pending')])
  }

  const exportDone = async (w: HistoryWorld, input: Parameters<HistoryWorld['service']['exportHistory']>[0]) => {
    const job = await w.service.exportHistory(input)
    const last = await w.finished(job.id)
    expect(last).toMatchObject({ kind: 'export', state: 'done', error: null })
    return { job: last, text: readFileSync(last.path!, 'utf8') }
  }

  it('writes a conversation as a standalone HTML page: every message escaped, a strict CSP, day headers, sender, time', async () => {
    const { w, dir } = world()
    seedChats(w)
    const { job, text } = await exportDone(w, { conversationId: 'dm:bob', format: 'html' })
    expect(job).toMatchObject({ done: HOSTILE.length, total: HOSTILE.length })
    expect(job.path!.startsWith(join(dir, 'exports', 'parley-bob-'))).toBe(true)
    expect(job.path).toMatch(/parley-bob-\d{4}-\d\d-\d\d-\d{4}\.html$/)
    expect(text).toMatch(/<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'sha256-[A-Za-z0-9+/=]+'">/)
    // Nothing a message says becomes markup: no script element, no link, entities shown as typed.
    expect(text).not.toContain('<script')
    expect(text).not.toContain('<a ')
    expect(text).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;')
    expect(text).toContain('Tom &amp;amp; Jerry &amp;lt;b&amp;gt; &amp;copy;')
    for (const plain of ['שלום עולם مرحبا', 'party 🎉👩‍👩‍👧', '北京欢迎你 日本語のテキスト', '**bold** _it_']) expect(text).toContain(plain)
    expect(text).toContain('dir="auto"')
    expect(text).toContain('<bdi class="s">bob</bdi>')
    expect(text).toContain('<bdi class="s">alice</bdi>')
    expect(text).not.toContain('carol')
    // One header per day, oldest first.
    const days = [...text.matchAll(/<h3>(\d{4}-\d\d-\d\d)<\/h3>/g)].map((m) => m[1])
    expect(days.length).toBeGreaterThanOrEqual(1)
    expect(new Set(days).size).toBe(days.length)
    expect([...days].sort()).toEqual(days)
    expect(text.indexOf('alert')).toBeLessThan(text.indexOf('Tom'))
  })

  it('writes Markdown with every markup character escaped', async () => {
    const { w } = world()
    seedChats(w)
    const { text } = await exportDone(w, { conversationId: 'dm:bob', format: 'markdown' })
    expect(text).toMatch(/^# Parley history of alice\n/)
    expect(text).toContain('> \\<script\\>alert\\("x"\\)\\</script\\>')
    expect(text).toContain('\\*\\*bold\\*\\* \\_it\\_ \\[link\\]\\(javascript:alert\\(1\\)\\) \\`code\\`')
    expect(text).toContain('Tom \\&amp; Jerry \\&lt;b\\&gt; \\&copy;')
    // A message's lines stay in its quote and make no list, heading or quote of their own.
    expect(text).toContain('> 1\\. not a list\\\n> \\# not a heading\\\n> \\> not a quote')
    expect(text).toContain('北京欢迎你')
    expect(text).toMatch(/\*\*bob\*\* · \d\d:\d\d/)
  })

  it('JSON round trip: export everything, import into a fresh history, the same messages; a second import adds nothing', async () => {
    const { w } = world()
    seedChats(w)
    const { job, text } = await exportDone(w, { conversationId: null, format: 'json' })
    expect(job.path).toMatch(/parley-all-\d{4}-\d\d-\d\d-\d{4}\.json$/)
    const doc = JSON.parse(text) as { format: string; version: number; account: string; exportedAt: string; conversations: { id: string; messages: unknown[] }[] }
    expect(doc).toMatchObject({ format: 'parley-history', version: 1, account: 'alice' })
    expect(Date.parse(doc.exportedAt)).toBeGreaterThan(0)
    expect(doc.conversations.map((c) => [c.id, c.messages.length])).toEqual([
      ['dm:bob', HOSTILE.length],
      ['dm:carol', 2],
    ])

    const { w: fresh } = world()
    const started = await fresh.service.importHistory({ path: job.path! })
    expect(started).toMatchObject({ kind: 'import', state: 'running', total: HOSTILE.length + 2 })
    const imported = await fresh.finished(started.id)
    expect(imported).toMatchObject({ state: 'done', added: HOSTILE.length + 2, skipped: 0, invalid: 0, done: HOSTILE.length + 2 })

    const strip = (rows: ReturnType<HistoryWorld['rows']>) => rows.map(({ id, conversation_id, sender, direction, ts, text }) => ({ id, conversation_id, sender, direction, ts, text }))
    expect(strip(fresh.rows())).toEqual(strip(w.rows()))
    // Imported messages are old news (seen, no unread count); mine that never went out stay out (failed, no outbox entry).
    expect(fresh.rows().filter((r) => r.direction === 'in').every((r) => r.status === 'seen')).toBe(true)
    expect(fresh.rows().find((r) => r.text === 'hi carol')?.status).toBe('failed')
    expect(fresh.conversations.store.list().map((c) => [c.id, c.unread, c.folder])).toEqual(
      expect.arrayContaining([
        ['dm:bob', 0, 'inbox'],
        ['dm:carol', 0, 'inbox'],
      ]),
    )
    expect(fresh.db.prepare('SELECT count(*) AS n FROM outbox').get()).toEqual({ n: 0 })
    expect(fresh.session.sent).toEqual([])
    // A conversation made by the import is as recent as its newest message, not as the import.
    for (const c of fresh.conversations.store.list()) {
      const newest = Math.max(...fresh.rows().filter((r) => r.conversation_id === c.id).map((r) => r.ts))
      expect(c.updatedAt, c.id).toBe(newest)
    }

    const again = await fresh.finished((await fresh.service.importHistory({ text, name: 'again.json' })).id)
    expect(again).toMatchObject({ state: 'done', added: 0, skipped: HOSTILE.length + 2 })
    expect(fresh.rows()).toHaveLength(HOSTILE.length + 2)
  })

  it('a file that is not a Parley export, or of another version, is refused with a clear error and changes nothing', async () => {
    const { w, dir } = world()
    const bad = join(dir, 'bad.json')
    writeFileSync(bad, '{"hello": "world"}')
    await expect(w.service.importHistory({ path: bad })).rejects.toThrow(`${bad} is not a Parley history export (the JSON file that Export writes).`)
    await expect(w.service.importHistory({ text: 'not json at all', name: 'notes.txt' })).rejects.toThrow('notes.txt is not a Parley history export')
    await expect(w.service.importHistory({ text: JSON.stringify({ format: 'parley-history', version: 2, conversations: [] }), name: 'future.json' })).rejects.toThrow(
      'future.json is a Parley history export of version 2; this Parley reads version 1.',
    )
    await expect(w.service.importHistory({ path: join(dir, 'missing.json') })).rejects.toThrow('no such file')
    await expect(
      w.service.importHistory({ text: JSON.stringify({ format: 'parley-history', version: 1, account: 'mallory', conversations: [] }), name: 'theirs.json' }),
    ).rejects.toThrow("theirs.json is the history of mallory; this Parley is alice's.")
    expect(w.rows()).toEqual([])
    expect(w.conversations.store.list()).toEqual([])
    expect(w.jobs).toEqual([])
  })

  it('bad rows are left out and counted; the good ones are imported', async () => {
    const { w } = world()
    const good = { id: id(), sender: 'bob', direction: 'in', ts: T, text: 'fine', status: 'received' }
    const doc = {
      format: 'parley-history',
      version: 1,
      exportedAt: new Date().toISOString(),
      account: 'alice',
      conversations: [
        { id: 'dm:bob', kind: 'dm', peer: 'bob', title: 'bob', messages: [good, { ...good, id: id(), ts: 'yesterday' }, { nonsense: true }, 42] },
        { id: 'not a conversation', kind: 'dm', peer: 'x', title: 'x', messages: [good, good] },
        { id: 'group:team', kind: 'group', peer: 'team', title: 'The Team', messages: [{ ...good, id: id(), sender: 'carol', text: 'in the group' }] },
      ],
    }
    const job = await w.finished((await w.service.importHistory({ text: JSON.stringify(doc) })).id)
    expect(job).toMatchObject({ state: 'done', added: 2, skipped: 0, invalid: 5 })
    expect(w.rows().map((r) => [r.conversation_id, r.text])).toEqual([
      ['dm:bob', 'fine'],
      ['group:team', 'in the group'],
    ])
    expect(w.conversations.store.get('group:team')).toMatchObject({ kind: 'group', title: 'The Team', unread: 0 })
  })

  it('a long export reports progress at most five times a second, and cancel stops it and removes the file', async () => {
    const { w, dir } = world()
    const many: NewMessage[] = []
    for (let i = 0; i < 30_000; i++) many.push(incoming('bob', `message ${i} with some text to write`, T + i))
    w.seed(many)
    const out = join(dir, 'big.html')
    const started = Date.now()
    const job = await w.service.exportHistory({ conversationId: 'dm:bob', format: 'html', path: out })
    expect(job).toMatchObject({ state: 'running', total: 30_000, path: out })
    // Cancel once it has written a page or more.
    while (!w.jobs.some((j) => j.done > 0) && Date.now() - started < 10_000) await new Promise((r) => setImmediate(r))
    await w.service.cancel(job.id)
    const last = w.jobs.at(-1)!
    expect(last).toMatchObject({ id: job.id, state: 'cancelled' })
    expect(last.done).toBeLessThan(30_000)
    expect(existsSync(out)).toBe(false)

    // A whole one: events thinned to at most ~5 a second, the last one done with every message.
    w.jobs.length = 0
    const whole = await w.service.exportHistory({ conversationId: 'dm:bob', format: 'json', path: out })
    const t0 = Date.now()
    const done = await w.finished(whole.id)
    const seconds = (Date.now() - t0) / 1000
    expect(done).toMatchObject({ state: 'done', done: 30_000, total: 30_000 })
    expect(w.jobs.filter((j) => j.state === 'running').length).toBeLessThanOrEqual(2 + Math.ceil(seconds * 5))
    expect((JSON.parse(readFileSync(out, 'utf8')) as { conversations: { messages: unknown[] }[] }).conversations[0]!.messages).toHaveLength(30_000)
  })

  /**
   * Runs `work` with a 1 ms timer ticking and returns, for each gap between ticks, a
   * bound on the CPU time the event loop's thread spent in it: the smaller of the
   * time the loop was busy (wall time, which a busy shared machine stretches) and the
   * process's CPU time (which also counts other threads, e.g. the import's parser).
   */
  const cpuGaps = async (work: () => Promise<void>): Promise<number[]> => {
    let elu = performance.eventLoopUtilization()
    let cpu = process.cpuUsage()
    const gaps: number[] = []
    const timer = setInterval(() => {
      const busy = performance.eventLoopUtilization(elu).active
      const used = process.cpuUsage(cpu)
      elu = performance.eventLoopUtilization()
      cpu = process.cpuUsage()
      gaps.push(Math.min(busy, (used.user + used.system) / 1000))
    }, 1)
    try {
      await work()
    } finally {
      clearInterval(timer)
    }
    return gaps
  }

  it('never holds the event loop long: timers keep running through a 100,000-message export and its import', async () => {
    const { w, dir } = world()
    const many: NewMessage[] = []
    for (let i = 0; i < 100_000; i++) many.push(incoming(i % 2 ? 'bob' : 'carol', `message ${i} <b>with</b> some text & more`, T + i))
    w.seed(many)
    let path = ''
    const exporting = await cpuGaps(async () => {
      const job = await w.service.exportHistory({ conversationId: null, format: 'json' })
      path = (await w.finished(job.id, 60_000)).path!
    })
    // Timers ran between pages all along: an export in one go would give a few ticks and one gap of a second or more.
    expect(exporting.length).toBeGreaterThan(100)
    expect(Math.max(...exporting)).toBeLessThan(50)
    expect(readdirSync(join(dir, 'exports'))).toHaveLength(1)

    const { w: fresh } = world()
    const text = readFileSync(path, 'utf8')
    const importing = await cpuGaps(async () => {
      const job = await fresh.service.importHistory({ text })
      expect(await fresh.finished(job.id, 60_000)).toMatchObject({ state: 'done', added: 100_000, skipped: 0, done: 100_000 })
    })
    expect(importing.length).toBeGreaterThan(100)
    // The file is parsed in a worker thread, its rows checked and stored a batch at a time: every batch is
    // well under 50 ms. The hand-over (the text to the worker, the chunks back, and the garbage collection
    // of what that leaves) is bounded more loosely: JSON.parse here took 50–100 ms for this file, and far more
    // for a large one.
    expect(importing.filter((gap) => gap >= 50).length).toBeLessThanOrEqual(2)
    expect(Math.max(...importing)).toBeLessThan(150)
  }, 90_000)

  it('an import can be cancelled between batches (what is stored stays); a message deleted here stays deleted', async () => {
    const { w } = world()
    const rows = Array.from({ length: 20_000 }, (_, i) => ({ id: id(), sender: 'bob', direction: 'in', ts: T + i, text: `old ${i}`, status: 'received' }))
    const text = JSON.stringify({ format: 'parley-history', version: 1, account: 'alice', conversations: [{ id: 'dm:bob', kind: 'dm', peer: 'bob', title: 'bob', messages: rows }] })
    const job = await w.service.importHistory({ text })
    while (!w.jobs.some((j) => j.id === job.id && j.done > 0)) await new Promise((r) => setImmediate(r))
    await w.service.cancel(job.id)
    const last = w.jobs.at(-1)!
    expect(last).toMatchObject({ id: job.id, state: 'cancelled' })
    expect(last.added).toBeGreaterThan(0)
    expect(last.added).toBeLessThan(20_000)
    expect(w.rows()).toHaveLength(last.added)

    // Deleted here, then imported again with the rest: it stays deleted, the rest comes in.
    const deleted = w.rows()[0]!.id
    await w.messageService.remove(deleted)
    const again = await w.finished((await w.service.importHistory({ text })).id, 30_000)
    expect(again).toMatchObject({ state: 'done', added: 20_000 - last.added, skipped: last.added, invalid: 0 })
    expect(w.rows()).toHaveLength(19_999)
    expect(w.rows().some((r) => r.id === deleted)).toBe(false)
  })

  it('imports a file sent in parts (the web bridge takes small messages); an unknown upload is refused', async () => {
    const { w } = world()
    seedChats(w)
    const { text } = await exportDone(w, { conversationId: null, format: 'json' })
    const { w: fresh } = world()
    const third = Math.ceil(text.length / 3)
    for (let at = 0; at < text.length; at += third) await fresh.service.uploadPart('upload-0001', text.slice(at, at + third))
    const job = await fresh.finished((await fresh.service.importHistory({ upload: 'upload-0001', name: 'all.json' })).id)
    expect(job).toMatchObject({ state: 'done', added: HOSTILE.length + 2 })
    // Imported once: the upload is gone.
    await expect(fresh.service.importHistory({ upload: 'upload-0001' })).rejects.toMatchObject({ code: 'not-found' })
    await expect(fresh.service.uploadPart('no spaces allowed', 'x')).rejects.toThrow()
  })

  it('two exports in the same minute get two files; an unknown conversation is refused', async () => {
    const { w } = world()
    seedChats(w)
    const a = await exportDone(w, { conversationId: 'dm:carol', format: 'json' })
    const b = await exportDone(w, { conversationId: 'dm:carol', format: 'json' })
    expect(a.job.path).not.toBe(b.job.path)
    await expect(w.service.exportHistory({ conversationId: 'dm:nobody', format: 'json' })).rejects.toMatchObject({ code: 'not-found' })
    await expect(w.service.exportHistory({ conversationId: 'dm:carol', format: 'json', path: 'relative.json' })).rejects.toMatchObject({ code: 'invalid-argument' })
  })
})
