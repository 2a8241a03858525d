/**
 * npm run bench -- search [--data-dir DIR] [--messages N] [--seed S] [--runs R] [--ingest N] [--no-ingest]
 *
 * Search and paging on a generated history (1M messages unless told), measured
 * through the engine's real services, offline (no broker is reached):
 *   - search p50/p95 for a common word, a rare word, a CJK term, a phrase, each
 *     prefix of a word as it is typed, and filtered queries (from:, in:, before:);
 *   - the newest page of the 100k-message conversation, and a page around a
 *     message picked at random in it (jump-to);
 *   - DB size per message, RSS and heap with the DB open;
 *   - live ingest through Mosquitto into two fresh data dirs, one with the search
 *     index and one without, in the same run: messages/s, the ratio, and how long
 *     until everything received is searchable.
 * The generated history is cached in the temp dir (per parameters) and reused.
 */
import { mkdtempSync, rmSync, statSync, existsSync } from 'node:fs'
import { spawnSync } from 'node:child_process'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import Database from 'better-sqlite3'
import { ParleyCore } from '../src/main/core/engine'
import { buildApp, REPO } from './build'
import { cachedHistory, readSummary } from './history/cache'
import type { GeneratedHistory } from './history/generate'
import { indexHistory, waitForIndex } from './history/index-search'
import { measureIngest } from './history/ingest'
import { mb, timeRuns, type Timing } from './stats'

const TARGETS = { searchP95Ms: 5, firstPageMs: 2, jumpToMs: 5, ingestRatio: 0.6, rssMb: 150 }

const { values } = parseArgs({
  options: {
    'data-dir': { type: 'string' },
    messages: { type: 'string', default: '1000000' },
    seed: { type: 'string', default: '1' },
    runs: { type: 'string', default: '200' },
    ingest: { type: 'string', default: '50000' },
    'no-ingest': { type: 'boolean', default: false },
    /** Internal: run as a child that only opens the engine on DIR, searches a little and prints its memory. */
    'memory-probe': { type: 'string' },
  },
})
const RUNS = Number(values.runs)
const INGEST = Number(values.ingest)
const log = (line: string) => console.log(line)

async function history(): Promise<GeneratedHistory> {
  const given = values['data-dir']
  if (given) {
    const summary = readSummary(given)
    if (!summary) throw new Error(`${given} has no generated.json: give a directory made by npm run gen-history (or leave --data-dir out)`)
    return summary
  }
  const messages = Number(values.messages)
  const { history: h, fresh } = await cachedHistory(
    { messages, seed: Number(values.seed), conversations: 50, bigConversation: Math.min(100_000, Math.floor(messages / 10)), brokerUrl: 'mqtt://127.0.0.1:9' },
    log,
    // Built once, with the cache: the figures below are for a history already indexed.
    async (h) => {
      const done = indexHistory(h.dataDir, (n, total) => log(`indexing: ${n.toLocaleString('en')} / ${total.toLocaleString('en')}`))
      log(`indexed ${done.indexed.toLocaleString('en')} messages in ${(done.ms / 1000).toFixed(1)} s`)
    },
  )
  if (!fresh) log(`reusing the history in ${h.dataDir}`)
  return h
}

interface Memory {
  /** The process before the engine opened (Node, tsx and the engine's code loaded). */
  rssBeforeOpenMb: number
  rssMb: number
  heapUsedMb: number
  /** Peak RSS of the built CLI (plain Node, bundled code, no tsx) opening the history and searching once; null when it could not be measured. */
  cliPeakRssMb?: number | null
}

/**
 * The engine as it ships, without tsx: the app built into a temp dir, and the
 * peak RSS (GNU time's %M) of `parley search` on the history — opening it, one
 * search, closing.
 */
function builtCliPeakRss(h: GeneratedHistory): number | null {
  if (!existsSync('/usr/bin/time')) return null
  const out = mkdtempSync(join(tmpdir(), 'parley-bench-build-'))
  try {
    buildApp(out)
    const run = spawnSync('/usr/bin/time', ['-f', '%M', process.execPath, join(out, 'main', 'cli.js'), 'search', '--user', h.user, '--data-dir', h.dataDir, '--limit', '30', 'meeting'], {
      encoding: 'utf8',
      timeout: 300_000,
      // The build keeps its dependencies external: they are the repository's.
      env: { ...process.env, NODE_PATH: join(REPO, 'node_modules') },
    })
    const kb = Number(run.stderr.trim().split('\n').pop())
    if (run.status !== 0 || !Number.isFinite(kb)) throw new Error(`the built CLI failed: ${run.stderr}`)
    return mb(kb * 1024)
  } finally {
    rmSync(out, { recursive: true, force: true })
  }
}

/** In a child process: the engine's memory, not this bench's (which holds timings, payloads, a generator's leftovers). */
function probeMemory(dataDir: string): Memory {
  const out = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', fileURLToPath(import.meta.url), '--memory-probe', dataDir], { encoding: 'utf8', timeout: 600_000 })
  const line = out.stdout.trim().split('\n').pop() ?? ''
  if (out.status !== 0 || !line.startsWith('{')) throw new Error(`memory probe failed: ${out.stderr || out.stdout}`)
  return JSON.parse(line) as Memory
}

async function memoryProbe(dataDir: string): Promise<void> {
  ;(globalThis as { gc?: () => void }).gc?.()
  const before = process.memoryUsage().rss
  const core = await ParleyCore.open({ dataDir })
  await waitForIndex(core)
  for (const text of ['meeting', '北京', '"release notes"', 'multi', 'from:bob meeting']) await core.services.search.search({ text })
  const convs = await core.services.conversations.list()
  for (const c of convs.slice(0, 5)) await core.services.messages.page({ conversationId: c.id, limit: 50 })
  // What stays in use, not garbage waiting for a collection.
  ;(globalThis as { gc?: () => void }).gc?.()
  const m = process.memoryUsage()
  console.log(JSON.stringify({ rssBeforeOpenMb: mb(before), rssMb: mb(m.rss), heapUsedMb: mb(m.heapUsed) } satisfies Memory))
  await core.close()
}

const fileSize = (path: string): number => (existsSync(path) ? statSync(path).size : 0)

interface Row {
  name: string
  query: string
  timing: Timing
  hits: number
  target: number
}

async function measureSearch(core: ParleyCore, h: GeneratedHistory): Promise<Row[]> {
  const rows: Row[] = []
  const rare = Object.entries(h.rareWords).sort((a, b) => a[1] - b[1])
  const oneRare = rare.find(([, n]) => n > 1) ?? rare[0]!
  const someone = h.peers[1] ?? h.peers[0]!
  const group = h.conversations.find((c) => c.kind === 'group')
  const midway = new Date(Math.round((h.firstTs + h.lastTs) / 2)).toISOString().slice(0, 10)
  const queries: [name: string, text: string][] = [
    ['common word', 'meeting'],
    ['rare word', oneRare[0]],
    ['CJK term', '北京'],
    ['phrase', '"release notes"'],
    ...['m', 'mu', 'mul', 'mult', 'multi'].map((p): [string, string] => [`prefix "${p}"`, p]),
    ['filter from:', `from:${someone} meeting`],
    ['filter in:', `in:${group ? JSON.stringify(group.title) : someone} meeting`],
    ['filter before:', `before:${midway} meeting`],
  ]
  for (const [name, text] of queries) {
    const first = await core.services.search.search({ text })
    const timing = await timeRuns(RUNS, 10, () => text, (t) => core.services.search.search({ text: t }))
    rows.push({ name, query: text, timing, hits: first.hits.length, target: TARGETS.searchP95Ms })
  }
  return rows
}

async function measurePaging(core: ParleyCore, h: GeneratedHistory): Promise<Row[]> {
  const conversationId = h.bigConversation ?? h.conversations[0]!.id
  const ro = new Database(join(h.dataDir, 'history.db'), { readonly: true })
  const ids = (ro.prepare(`SELECT id FROM messages WHERE conversation_id = ? ORDER BY random() LIMIT ?`).all(conversationId, RUNS + 10) as { id: string }[]).map((r) => r.id)
  ro.close()
  const newest = await timeRuns(RUNS, 10, () => null, () => core.services.messages.page({ conversationId, limit: 50 }))
  const around = await timeRuns(RUNS, 10, (i) => ids[i % ids.length]!, (id) => core.services.messages.page({ conversationId, around: id, limit: 50 }))
  const sample = await core.services.messages.page({ conversationId, around: ids[0]!, limit: 50 })
  if (!sample.messages.some((m) => m.id === ids[0])) log(`note: the page around ${ids[0]} does not hold it (jump-to not implemented yet?)`)
  return [
    { name: 'first page', query: `${conversationId}, 50 newest`, timing: newest, hits: 50, target: TARGETS.firstPageMs },
    { name: 'jump-to', query: `${conversationId}, around a random message`, timing: around, hits: sample.messages.length, target: TARGETS.jumpToMs },
  ]
}

async function main(): Promise<void> {
  const h = await history()
  const dbPath = join(h.dataDir, 'history.db')
  log(`Parley search benchmark — ${h.messages.toLocaleString('en')} messages in ${h.conversations.length} conversations (${h.dataDir}), ${RUNS} runs per figure`)

  const openStarted = performance.now()
  const core = await ParleyCore.open({ dataDir: h.dataDir })
  const openMs = performance.now() - openStarted
  let searchRows: Row[]
  let pageRows: Row[]
  try {
    const caughtUp = await waitForIndex(core)
    if (caughtUp && caughtUp.ms > 50) log(`the index caught up on open in ${(caughtUp.ms / 1000).toFixed(1)} s`)
    searchRows = await measureSearch(core, h)
    pageRows = await measurePaging(core, h)
  } finally {
    await core.close()
  }
  const memory = probeMemory(h.dataDir)
  memory.cliPeakRssMb = builtCliPeakRss(h)
  const bytes = fileSize(dbPath) + fileSize(`${dbPath}-wal`) + fileSize(`${dbPath}-shm`)
  const size = { dbMb: mb(bytes), bytesPerMessage: Math.round(bytes / h.messages) }
  const ingestFigures = values['no-ingest'] || INGEST <= 0 ? null : await measureIngest(INGEST, log)

  const f = (x: number) => x.toFixed(2).padStart(7)
  const ok = (good: boolean) => (good ? 'ok' : 'MISSED')
  log('')
  log('| measure                 | query                                      |   p50 ms |   p95 ms |   max ms | hits | target p95 |        |')
  log('|-------------------------|--------------------------------------------|----------|----------|----------|------|------------|--------|')
  for (const r of [...searchRows, ...pageRows]) {
    log(`| ${r.name.padEnd(23)} | ${r.query.slice(0, 42).padEnd(42)} | ${f(r.timing.p50)}  | ${f(r.timing.p95)}  | ${f(r.timing.max)}  | ${String(r.hits).padStart(4)} | < ${String(r.target).padEnd(8)} | ${ok(r.timing.p95 < r.target).padEnd(6)} |`)
  }
  log('')
  log(`engine open on the history: ${openMs.toFixed(0)} ms`)
  log(`DB size: ${size.dbMb} MB (history.db + WAL), ${size.bytesPerMessage} bytes per message`)
  log(`memory of a process with the engine open on it, after a few searches and pages: RSS ${memory.rssMb} MB (${memory.rssBeforeOpenMb} MB before opening), heap used ${memory.heapUsedMb} MB — target RSS < ${TARGETS.rssMb} MB: ${ok(memory.rssMb < TARGETS.rssMb)}`)
  if (memory.cliPeakRssMb != null) log(`peak RSS of the built CLI (plain Node, bundled) opening the history and searching once: ${memory.cliPeakRssMb} MB`)
  if (ingestFigures) {
    const i = ingestFigures
    log(
      `live ingest of ${INGEST.toLocaleString('en')} messages (median of ${i.rounds} rounds): ${i.with.perSecond.toFixed(0)} msg/s with the index, ${i.without.perSecond.toFixed(0)} msg/s without — ` +
        `ratio ${i.ratio.toFixed(2)} (target ≥ ${TARGETS.ingestRatio}: ${ok(i.ratio >= TARGETS.ingestRatio)}); all searchable ${(i.with.searchableAfterMs! / 1000).toFixed(2)} s after the first publish ` +
        `(${(INGEST / (i.with.searchableAfterMs! / 1000)).toFixed(0)} msg/s received and indexed)`,
    )
  }
  const json = {
    bench: 'search',
    messages: h.messages,
    dataDir: h.dataDir,
    runs: RUNS,
    search: Object.fromEntries(searchRows.map((r) => [r.name, { query: r.query, ...r.timing, hits: r.hits }])),
    paging: Object.fromEntries(pageRows.map((r) => [r.name, { query: r.query, ...r.timing }])),
    openMs,
    size,
    memory,
    ingest: ingestFigures && {
      messages: INGEST,
      withIndexPerSecond: ingestFigures.with.perSecond,
      withoutIndexPerSecond: ingestFigures.without.perSecond,
      ratio: ingestFigures.ratio,
      searchableAfterMs: ingestFigures.with.searchableAfterMs,
      indexedPerSecond: INGEST / (ingestFigures.with.searchableAfterMs! / 1000),
    },
    targets: TARGETS,
  }
  log('')
  log(JSON.stringify(json))
}

const probe = values['memory-probe']
;(probe ? memoryProbe(probe) : main()).then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err)
    process.exit(1)
  },
)
