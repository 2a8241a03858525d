/**
 * Live ingest through Mosquitto, with and without the search index: two fresh
 * data dirs per round, the same messages published into each, how many per
 * second arrive, and (with the index) how long until all of them are searchable.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import Database from 'better-sqlite3'
import mqtt, { type MqttClient } from 'mqtt'
import { ParleyCore } from '../../src/main/core/engine'
import { encodeEnvelope, textEnvelope } from '../../src/main/core/protocol/codec'
import { directTopic } from '../../src/shared/protocol/topics'
import { startMosquitto } from '../../test/helpers/mosquitto'
import { waitForIndex } from './index-search'

const connect = (url: string, clientId: string): Promise<MqttClient> =>
  new Promise((resolve, reject) => {
    const c = mqtt.connect(url, { clientId, protocolVersion: 5, clean: true, reconnectPeriod: 0 })
    c.once('connect', () => resolve(c))
    c.once('error', reject)
  })

async function waitUntil(cond: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const end = Date.now() + timeoutMs
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 5))
  }
}

export interface Ingest {
  perSecond: number
  /** From the first publish until the index held every message (ms); null without the index. */
  searchableAfterMs: number | null
}

/**
 * A data dir whose history has no search index: the migrations as always, then the
 * trigger that queues new messages for the index dropped, so the indexer never has
 * work (the baseline "ingest without the index").
 */
async function withoutIndex(dir: string): Promise<void> {
  const core = await ParleyCore.open({ dataDir: dir })
  await core.close()
  const db = new Database(join(dir, 'history.db'))
  try {
    const queueing = db
      .prepare(`SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'messages' AND sql LIKE '%AFTER INSERT%' AND sql LIKE '%search_queue%'`)
      .all() as { name: string }[]
    if (queueing.length === 0) throw new Error('no trigger queues new messages for the search index any more: update withoutIndex() in bench/history/ingest.ts')
    for (const t of queueing) db.exec(`DROP TRIGGER "${t.name}"`)
  } finally {
    db.close()
  }
}

async function ingest(url: string, dir: string, indexed: boolean, round: number, count: number): Promise<Ingest> {
  if (!indexed) await withoutIndex(dir)
  const bob = await ParleyCore.open({ dataDir: dir })
  try {
    await bob.services.account.setup({ user: 'bob', broker: { kind: 'url', url } })
    await waitUntil(() => bob.connection.state === 'connected', 10_000, 'bob to connect')
    const pub = await connect(url, `bench-search-pub-${round}-${indexed ? 'i' : 'n'}`)
    const payloads = Array.from({ length: count }, (_, i) => encodeEnvelope(textEnvelope('alice', 'bench', `Meeting notes #${i}: the café on Main Street at 3 pm, 北京 team joins. https://example.com/${i}`, i + 1)))
    let got = 0
    const off = bob.onEvent((e) => {
      if (e === 'message') got++
    })
    const topic = directTopic('IMS', 'bob', 'alice')
    const t0 = performance.now()
    for (const p of payloads) pub.publish(topic, p, { qos: 1 })
    await waitUntil(() => got >= count, 600_000, 'the ingested messages')
    const perSecond = count / ((performance.now() - t0) / 1000)
    off()
    let searchableAfterMs: number | null = null
    if (indexed) {
      await waitForIndex(bob)
      searchableAfterMs = performance.now() - t0
    }
    await pub.endAsync()
    return { perSecond, searchableAfterMs }
  } finally {
    await bob.close()
  }
}

export interface IngestFigures {
  /** The medians of the rounds, by messages per second. */
  with: Ingest
  without: Ingest
  ratio: number
  rounds: number
}

/** `count` messages ingested live, in alternating rounds without and with the index. */
export async function measureIngest(count: number, log: (line: string) => void): Promise<IngestFigures> {
  const broker = await startMosquitto()
  const dirs: string[] = []
  const fresh = () => {
    const d = mkdtempSync(join(tmpdir(), 'parley-bench-ingest-'))
    dirs.push(d)
    return d
  }
  try {
    // Alternating rounds, medians compared: a burst of load elsewhere does not decide the ratio.
    const rounds = 3
    const withIdx: Ingest[] = []
    const without: Ingest[] = []
    for (let r = 0; r < rounds; r++) {
      without.push(await ingest(broker.url, fresh(), false, r, count))
      withIdx.push(await ingest(broker.url, fresh(), true, r, count))
      log(`ingest round ${r + 1}: without index ${without[r]!.perSecond.toFixed(0)} msg/s, with index ${withIdx[r]!.perSecond.toFixed(0)} msg/s, searchable after ${(withIdx[r]!.searchableAfterMs! / 1000).toFixed(2)} s`)
    }
    const median = (xs: Ingest[]) => [...xs].sort((a, b) => a.perSecond - b.perSecond)[Math.floor(xs.length / 2)]!
    const w = median(withIdx)
    const wo = median(without)
    return { with: w, without: wo, ratio: w.perSecond / wo.perSecond, rounds }
  } finally {
    await broker.stop()
    for (const d of dirs) rmSync(d, { recursive: true, force: true })
  }
}
