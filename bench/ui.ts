/**
 * npm run bench -- ui [--messages N] [--steps N] [--renderer-dir DIR]
 *
 * The renderer with a 100,000-message conversation, in Chromium through the web
 * host: the time to open the conversation (click → its newest messages shown),
 * then frame times (requestAnimationFrame deltas) and long tasks while the wheel
 * scrolls up through many pages (older pages load as it goes) and the list jumps
 * back to the bottom. The renderer is built from the sources into a temp dir
 * first (unless --renderer-dir names a built one), so it measures what is there.
 * Target: no frame over 50 ms.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { performance } from 'node:perf_hooks'
import { parseArgs } from 'node:util'
import Database from 'better-sqlite3'
import { chromium, type Page } from 'playwright-core'
import { ParleyCore } from '../src/main/core/engine'
import { startWebHost } from '../src/host/server'
import { buildApp } from './build'
import { cachedHistory } from './history/cache'
import { indexHistory } from './history/index-search'
import { percentile } from './stats'

const CHROMIUM = '/usr/bin/chromium'
const FRAME_TARGET_MS = 50

const { values } = parseArgs({
  options: {
    messages: { type: 'string', default: '100000' },
    steps: { type: 'string', default: '150' },
    'renderer-dir': { type: 'string' },
    /** Writes a CPU profile of the renderer while it scrolls (open it in Chrome's DevTools) and prints the hottest functions. */
    profile: { type: 'string' },
  },
})
const BIG = Number(values.messages)
const STEPS = Number(values.steps)
const log = (line: string) => console.log(line)

/*
 * What runs in the page, as scripts (this file is compiled for Node, without the DOM's types).
 * PROBE records every frame's delta (requestAnimationFrame) and every long task until
 * window.__benchStop(); COLLECT stops it and returns what it saw.
 */
const PROBE = `(() => {
  const state = { frames: [], longTasks: [], on: true }
  window.__bench = state
  let last = performance.now()
  const tick = (now) => {
    state.frames.push(now - last)
    last = now
    if (state.on) requestAnimationFrame(tick)
  }
  requestAnimationFrame((now) => { last = now; requestAnimationFrame(tick) })
  const obs = new PerformanceObserver((list) => { for (const e of list.getEntries()) state.longTasks.push(e.duration) })
  obs.observe({ type: 'longtask', buffered: false })
  window.__benchStop = () => { state.on = false; obs.disconnect() }
})()`
const COLLECT = `(() => { window.__benchStop(); return { frames: window.__bench.frames, longTasks: window.__bench.longTasks } })()`
/** Marks the message list's scroller (the nearest scrollable ancestor of a message) so the bench can find it. */
const MARK_SCROLLER = `(() => {
  let el = document.querySelector('[data-testid="message"]')
  while (el && !(el.scrollHeight > el.clientHeight + 1 && /(auto|scroll)/.test(getComputedStyle(el).overflowY))) el = el.parentElement
  if (el) el.setAttribute('data-bench-scroller', '')
  return el !== null
})()`
const TO_BOTTOM = `(() => { const s = document.querySelector('[data-bench-scroller]'); s.scrollTop = s.scrollHeight })()`
const POSITION = `(() => { const s = document.querySelector('[data-bench-scroller]'); return { top: s.scrollTop, height: s.scrollHeight } })()`
const SHOWN = `(() => {
  const ids = [...document.querySelectorAll('[data-testid="message"]')].map((e) => e.getAttribute('data-id'))
  const s = document.querySelector('[data-bench-scroller]')
  const older = document.querySelector('[data-testid="load-older"]')
  return { inDom: ids.length, firstId: ids[0] ?? null, scrollTop: Math.round(s.scrollTop), loadOlder: older ? older.textContent.trim() : null }
})()`

const installProbe = (page: Page): Promise<void> => page.evaluate(PROBE)
const collect = (page: Page): Promise<{ frames: number[]; longTasks: number[] }> => page.evaluate(COLLECT)

async function markScroller(page: Page): Promise<void> {
  if (!(await page.evaluate<boolean>(MARK_SCROLLER))) throw new Error('no scrollable message list found')
}

interface Phase {
  name: string
  frames: number
  maxFrameMs: number
  p95FrameMs: number
  over50: number
  longTasks: number
  maxLongTaskMs: number
  /** For a scroll phase: how many messages back the oldest one shown was at its end. */
  messagesBack: number | null
}

const phase = (name: string, d: { frames: number[]; longTasks: number[] }, messagesBack: number | null = null): Phase => ({
  name,
  frames: d.frames.length,
  maxFrameMs: d.frames.length ? Math.max(...d.frames) : NaN,
  p95FrameMs: percentile(d.frames, 95),
  over50: d.frames.filter((f) => f > FRAME_TARGET_MS).length,
  longTasks: d.longTasks.length,
  maxLongTaskMs: d.longTasks.length ? Math.max(...d.longTasks) : 0,
  messagesBack,
})

interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number } }[]
  samples: number[]
  timeDeltas: number[]
}

/** Saves the profile and prints the functions that took the most time of their own. */
function writeProfile(file: string, profile: CpuProfile): void {
  writeFileSync(file, JSON.stringify(profile))
  const self = new Map<number, number>()
  profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)))
  const byName = new Map<string, number>()
  for (const n of profile.nodes) {
    const f = n.callFrame
    const name = `${f.functionName || '(anonymous)'} ${f.url.split('/').pop() ?? ''}:${f.lineNumber + 1}`
    byName.set(name, (byName.get(name) ?? 0) + (self.get(n.id) ?? 0))
  }
  log(`CPU profile of the scroll written to ${file}; most time of their own:`)
  for (const [name, us] of [...byName].sort((a, b) => b[1] - a[1]).slice(0, 12)) log(`  ${(us / 1000).toFixed(0).padStart(6)} ms  ${name}`)
}

async function main(): Promise<void> {
  const { history: h } = await cachedHistory(
    { messages: BIG + 2000, conversations: 5, bigConversation: BIG, seed: 1, brokerUrl: 'mqtt://127.0.0.1:9' },
    log,
    async (made) => {
      const done = indexHistory(made.dataDir)
      log(`indexed ${done.indexed.toLocaleString('en')} messages in ${(done.ms / 1000).toFixed(1)} s`)
    },
  )
  const peer = h.bigConversation!.slice('dm:'.length)
  const tmp = mkdtempSync(join(tmpdir(), 'parley-bench-ui-'))
  const rendererDir = values['renderer-dir'] ? resolve(values['renderer-dir']) : join(tmp, 'renderer')
  if (!values['renderer-dir']) {
    const t = performance.now()
    buildApp(tmp)
    log(`built the renderer from the sources in ${((performance.now() - t) / 1000).toFixed(1)} s`)
  }
  const core = await ParleyCore.open({ dataDir: h.dataDir })
  const host = await startWebHost({ core, rendererDir })
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'], timeout: 30_000 })
  try {
    const page = await (await browser.newContext({ viewport: { width: 1100, height: 720 } })).newPage()
    page.setDefaultTimeout(60_000)
    const errors: string[] = []
    page.on('pageerror', (e) => errors.push(e.message))
    await page.goto(host.url)
    const row = page.locator(`[data-testid="conversation-item"][data-peer="${peer}"]`)
    await row.waitFor({ state: 'visible' })
    log(`Parley renderer benchmark — ${h.bigConversation} with ${BIG.toLocaleString('en')} messages, ${STEPS} wheel steps up, then to the bottom`)

    await installProbe(page)
    const t0 = performance.now()
    await row.click()
    await page.locator('[data-testid="message"]').last().waitFor({ state: 'visible' })
    const openMs = performance.now() - t0
    await page.waitForTimeout(500)
    const opening = phase('open', await collect(page))

    await markScroller(page)
    const scroller = page.locator('[data-bench-scroller]')
    const box = (await scroller.boundingBox())!
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2)
    // How far up the list is: how many messages are newer than the oldest one shown.
    const ro = new Database(join(h.dataDir, 'history.db'), { readonly: true })
    const back = ro.prepare(`SELECT count(*) AS n FROM messages WHERE conversation_id = ? AND rowid >= (SELECT rowid FROM messages WHERE id = ?)`)
    const shown = () => page.evaluate<{ inDom: number; firstId: string | null; scrollTop: number; loadOlder: string | null }>(SHOWN)
    const depthOf = (id: string | null) => (id ? (back.get(h.bigConversation, id) as { n: number }).n : 0)

    // The scroll up in segments, each its own phase, so a list that slows down as it grows shows as such.
    const SEGMENTS = 3
    const scrolling: Phase[] = []
    const cdp = values.profile ? await page.context().newCDPSession(page) : null
    if (cdp) {
      await cdp.send('Profiler.enable')
      await cdp.send('Profiler.start')
    }
    const t1 = performance.now()
    let waitedMs = 0
    let reached = await shown()
    for (let seg = 0; seg < SEGMENTS; seg++) {
      await installProbe(page)
      const steps = Math.round((STEPS * (seg + 1)) / SEGMENTS) - Math.round((STEPS * seg) / SEGMENTS)
      for (let i = 0; i < steps; i++) {
        await page.mouse.wheel(0, -1200)
        await page.waitForTimeout(40)
        // At the top: give the older page up to a second to arrive (the list grows) before the next step.
        const at = await page.evaluate<{ top: number; height: number }>(POSITION)
        if (at.top < 100) {
          const w0 = performance.now()
          while (performance.now() - w0 < 1000 && (await page.evaluate<{ top: number; height: number }>(POSITION)).height === at.height) await page.waitForTimeout(20)
          waitedMs += performance.now() - w0
        }
      }
      if (seg === SEGMENTS - 1) await page.waitForTimeout(500)
      const d = await collect(page)
      reached = await shown()
      scrolling.push(phase(`scroll up ${seg + 1}/${SEGMENTS}`, d, depthOf(reached.firstId)))
    }
    const scrollMs = performance.now() - t1
    if (cdp && values.profile) writeProfile(values.profile, (await cdp.send('Profiler.stop')).profile as CpuProfile)
    const depth = depthOf(reached.firstId)
    ro.close()

    await installProbe(page)
    await page.evaluate(TO_BOTTOM)
    await page.waitForTimeout(1000)
    const bottom = phase('jump to bottom', await collect(page))
    const phases = [opening, ...scrolling, bottom]

    const f = (x: number) => x.toFixed(1).padStart(8)
    log('')
    log(`open: ${openMs.toFixed(0)} ms from the click to the newest message shown`)
    log(`scrolled up ${STEPS} wheel steps in ${(scrollMs / 1000).toFixed(1)} s (${(waitedMs / 1000).toFixed(1)} s of it at the top, waiting for older pages); ${reached.inDom} message elements in the DOM at the end; the oldest one shown is ${depth.toLocaleString('en')} messages back`)
    log(`at the end: scrollTop ${reached.scrollTop} px, the "load older" button ${reached.loadOlder === null ? 'not in the DOM' : `says "${reached.loadOlder}"`}`)
    log('')
    log('| phase           | frames | max frame ms | p95 frame ms | frames > 50 ms | long tasks | longest task ms | messages back at its end |')
    log('|-----------------|--------|--------------|--------------|----------------|------------|-----------------|--------------------------|')
    for (const p of phases) {
      log(
        `| ${p.name.padEnd(15)} | ${String(p.frames).padStart(6)} | ${f(p.maxFrameMs)}     | ${f(p.p95FrameMs)}     | ${String(p.over50).padStart(14)} | ${String(p.longTasks).padStart(10)} | ${f(p.maxLongTaskMs)}        | ${(p.messagesBack === null ? '' : p.messagesBack.toLocaleString('en')).padStart(24)} |`,
      )
    }
    const worst = Math.max(...phases.map((p) => p.maxFrameMs))
    log('')
    log(`worst frame ${worst.toFixed(1)} ms — target: none over ${FRAME_TARGET_MS} ms: ${worst <= FRAME_TARGET_MS ? 'ok' : 'MISSED'}`)
    if (errors.length) log(`page errors: ${errors.join(' | ')}`)
    log('')
    log(JSON.stringify({ bench: 'ui', messages: BIG, openMs, steps: STEPS, scrollMs, waitedAtTopMs: waitedMs, messagesBack: depth, domMessages: reached.inDom, phases, worstFrameMs: worst, target: { maxFrameMs: FRAME_TARGET_MS } }))
  } finally {
    await browser.close().catch(() => {})
    await host.close()
    await core.close()
    rmSync(tmp, { recursive: true, force: true })
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err)
    process.exit(1)
  },
)
