/**
 * npm run bench — Parley's receive pipeline against raw MQTT.js on the same
 * Mosquitto, in the same run, so the figures are ratios rather than absolutes.
 *
 *   throughput: N QoS 1 messages published as fast as possible; raw = a bare
 *   mqtt.js subscriber; parley = a ParleyCore (decode → validate → SQLite commit →
 *   PUBACK → event).
 *   latency: A→B at a fixed rate; raw = publish → subscriber's 'message';
 *   parley = alice.messages.send() → bob's 'message' event (both engines complete).
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import mqtt, { type MqttClient } from 'mqtt'
import { ParleyCore } from '../src/main/core/engine'
import { encodeEnvelope, textEnvelope } from '../src/main/core/protocol/codec'
import { directTopic } from '../src/shared/protocol/topics'
import { startMosquitto } from '../test/helpers/mosquitto'

const N = Number(process.env.BENCH_MESSAGES ?? 20_000)
const RATE = Number(process.env.BENCH_RATE ?? 500)
const LATENCY_MESSAGES = Number(process.env.BENCH_LATENCY_MESSAGES ?? 2_000)
// Raw and Parley alternate for several rounds and the medians are compared, so a
// burst of load from elsewhere on the machine does not decide the ratio.
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5)
const TEXT = 'The quick brown fox jumps over the lazy dog — a typical chat line of about a hundred characters long.'

const connect = (url: string, clientId: string, clean = true): Promise<MqttClient> =>
  new Promise((resolve, reject) => {
    const c = mqtt.connect(url, { clientId, protocolVersion: 5, clean, reconnectPeriod: 0 })
    c.once('connect', () => resolve(c))
    c.once('error', reject)
  })

const waitUntil = async (cond: () => boolean, timeoutMs: number, what: string) => {
  const end = Date.now() + timeoutMs
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 5))
  }
}

const percentile = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? NaN
}

function payloads(count: number): Buffer[] {
  return Array.from({ length: count }, (_, i) => encodeEnvelope(textEnvelope('alice', 'bench', `${TEXT} #${i}`, i + 1)))
}

const median = (xs: number[]) => percentile(xs, 50)

async function rawThroughput(url: string, round: number): Promise<number> {
  const sub = await connect(url, `bench-raw-sub-${round}`)
  const pub = await connect(url, `bench-raw-pub-${round}`)
  await sub.subscribeAsync('bench/raw/#', { qos: 1 })
  const msgs = payloads(N)
  let got = 0
  sub.on('message', () => got++)
  const t0 = performance.now()
  for (const m of msgs) pub.publish('bench/raw/alice', m, { qos: 1 })
  await waitUntil(() => got >= N, 120_000, 'raw messages')
  const seconds = (performance.now() - t0) / 1000
  await Promise.all([sub.endAsync(), pub.endAsync()])
  return N / seconds
}

async function openBob(url: string, dir: string): Promise<ParleyCore> {
  const bob = await ParleyCore.open({ dataDir: dir })
  await bob.services.account.setup({ user: 'bob', broker: { kind: 'url', url } })
  await waitUntil(() => bob.connection.state === 'connected', 10_000, 'bob to connect')
  return bob
}

async function parleyThroughput(url: string, dir: string): Promise<number> {
  const bob = await openBob(url, dir)
  const pub = await connect(url, `bench-parley-pub-${dir.slice(-6)}`)
  const msgs = payloads(N)
  let got = 0
  bob.onEvent((e) => {
    if (e === 'message') got++
  })
  const topic = directTopic('IMS', 'bob', 'alice')
  const t0 = performance.now()
  for (const m of msgs) pub.publish(topic, m, { qos: 1 })
  await waitUntil(() => got >= N, 300_000, 'parley messages')
  const seconds = (performance.now() - t0) / 1000
  const stored = await bob.services.messages.page({ conversationId: 'dm:alice', limit: 1 })
  if (stored.messages.length !== 1) throw new Error('messages were not stored')
  // Each round has its own data dir, so each counts N new messages.
  await pub.endAsync()
  await bob.close()
  return N / seconds
}

async function rawLatency(url: string): Promise<number[]> {
  const sub = await connect(url, 'bench-lat-sub')
  const pub = await connect(url, 'bench-lat-pub')
  await sub.subscribeAsync('bench/lat/#', { qos: 1 })
  const sentAt = new Map<number, number>()
  const lat: number[] = []
  sub.on('message', (_t, payload) => {
    const i = Number(payload.toString().slice(0, 8))
    lat.push(performance.now() - sentAt.get(i)!)
  })
  const body = TEXT.padEnd(200, '.')
  for (let i = 0; i < LATENCY_MESSAGES; i++) {
    sentAt.set(i, performance.now())
    pub.publish('bench/lat/alice', `${String(i).padStart(8, '0')}${body}`, { qos: 1 })
    await new Promise((r) => setTimeout(r, 1000 / RATE))
  }
  await waitUntil(() => lat.length >= LATENCY_MESSAGES, 30_000, 'raw latency messages')
  await Promise.all([sub.endAsync(), pub.endAsync()])
  return lat
}

async function parleyLatency(url: string, dirA: string, dirB: string): Promise<number[]> {
  const bob = await openBob(url, dirB)
  const alice = await ParleyCore.open({ dataDir: dirA })
  await alice.services.account.setup({ user: 'alice', broker: { kind: 'url', url } })
  await waitUntil(() => alice.connection.state === 'connected', 10_000, 'alice to connect')
  const conv = await alice.services.conversations.open('bob')
  const sentAt = new Map<string, number>()
  const lat: number[] = []
  bob.onEvent((e, p) => {
    if (e !== 'message') return
    const t = sentAt.get((p as { id: string }).id)
    if (t !== undefined) lat.push(performance.now() - t)
  })
  for (let i = 0; i < LATENCY_MESSAGES; i++) {
    const t = performance.now()
    const m = await alice.services.messages.send({ conversationId: conv.id, text: `${TEXT} #${i}` })
    sentAt.set(m.id, t)
    await new Promise((r) => setTimeout(r, 1000 / RATE))
  }
  await waitUntil(() => lat.length >= LATENCY_MESSAGES, 30_000, 'parley latency messages')
  await Promise.all([alice.close(), bob.close()])
  return lat
}

async function main() {
  const broker = await startMosquitto()
  const dirs = Array.from({ length: ROUNDS + 2 }, () => mkdtempSync(join(tmpdir(), 'parley-bench-')))
  try {
    console.log(`Parley pipeline benchmark — Mosquitto on ${broker.url}, ${N} messages × ${ROUNDS} rounds (medians), latency at ${RATE} msg/s × ${LATENCY_MESSAGES}`)
    const raws: number[] = []
    const parleys: number[] = []
    for (let r = 0; r < ROUNDS; r++) {
      raws.push(await rawThroughput(broker.url, r))
      parleys.push(await parleyThroughput(broker.url, dirs[r]!))
      console.log(`round ${r + 1}: raw ${raws[r]!.toFixed(0)} msg/s, parley ${parleys[r]!.toFixed(0)} msg/s`)
    }
    const raw = median(raws)
    const parley = median(parleys)
    const rawLat = await rawLatency(broker.url)
    const parleyLat = await parleyLatency(broker.url, dirs[ROUNDS]!, dirs[ROUNDS + 1]!)
    const f = (x: number) => x.toFixed(2)
    console.log('')
    console.log('| measure                         | raw MQTT.js | Parley  | ratio |')
    console.log('|---------------------------------|-------------|---------|-------|')
    console.log(`| QoS 1 receive throughput (msg/s) | ${raw.toFixed(0).padStart(11)} | ${parley.toFixed(0).padStart(7)} | ${f(parley / raw)}× |`)
    console.log(`| A→B latency p50 (ms)            | ${f(percentile(rawLat, 50)).padStart(11)} | ${f(percentile(parleyLat, 50)).padStart(7)} | ${f(percentile(parleyLat, 50) / percentile(rawLat, 50))}× |`)
    console.log(`| A→B latency p99 (ms)            | ${f(percentile(rawLat, 99)).padStart(11)} | ${f(percentile(parleyLat, 99)).padStart(7)} | ${f(percentile(parleyLat, 99) / percentile(rawLat, 99))}× |`)
    console.log('')
    console.log(`throughput ratio: ${f(parley / raw)}× raw (first target ≥ 0.44×, goal ≥ 0.8×)`)
  } finally {
    await broker.stop()
    for (const d of dirs) rmSync(d, { recursive: true, force: true })
  }
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err)
    process.exit(1)
  },
)
