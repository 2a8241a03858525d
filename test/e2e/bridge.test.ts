/**
 * The browser half of the bridge (src/preload/web.ts, as built into
 * out/renderer/web-preload.js) in real Chromium, against the real web host and a
 * fake engine: `window.parley` exists before the app runs, early calls are
 * queued, errors arrive as ParleyErrors, events flow, the CSP blocks inline
 * script, and the page survives a host restart on the same port.
 */
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import type { ChatMessage, ConversationSummary, ParleyApi, ParleyEventName, ParleyEvents, ParleyServices } from '../../src/shared/contract'
import { startWebHost, type WebHost } from '../../src/host/server'
import { eventually, launchChromium, requireRendererBuild, watchPage } from '../helpers/e2e'
import { EventBus, type AnyListener } from '../../src/main/core/kernel/event-bus'

type Win = {
  parley: ParleyApi
  __sawParley?: string
  __early?: unknown
  __inline?: boolean
  __events: { event: string; payload: unknown }[]
}

const conversation: ConversationSummary = { id: 'dm:bob', kind: 'dm', peer: 'bob', title: 'bob', folder: 'inbox', lastMessage: null, unread: 0, updatedAt: 1 }

function fakeCore() {
  const bus = new EventBus<ParleyEvents>()
  let release: (() => void) | null = null
  const services = {
    account: {
      getState: async () => ({
        configured: true,
        user: 'alice',
        broker: null,
        clientId: null,
        dataDir: '/x',
        connection: { state: 'connected', broker: 'mqtt://127.0.0.1:1', detail: null, protocolVersion: 5, retryInMs: null },
        problem: null,
      }),
      setup: async () => {
        throw new Error('unused')
      },
      reconnect: async () => {},
    },
    conversations: {
      list: async () => [conversation],
      open: async (peer: string) => ({ ...conversation, id: `dm:${peer}`, peer, title: peer }),
      markRead: async () => {},
    },
    messages: {
      // Never answers until released: stands for a call in flight when the host goes away.
      page: () => new Promise((resolve) => (release = () => resolve({ messages: [], hasMore: false }))),
      send: async () => {
        throw new Error('unused')
      },
    },
  } as unknown as ParleyServices
  return {
    services,
    onEvent: (l: AnyListener<ParleyEvents>) => bus.onAny(l),
    emit: (event: ParleyEventName, payload: unknown) => bus.emit(event, payload as never),
    release: () => release?.(),
  }
}

describe('web preload in Chromium', () => {
  let dir: string
  let browser: Browser
  let page: Page
  let watch: ReturnType<typeof watchPage>
  const core = fakeCore()
  let host: WebHost

  beforeAll(async () => {
    const build = requireRendererBuild(['web-preload.js'])
    dir = mkdtempSync(join(tmpdir(), 'parley-bridge-'))
    // The real web-preload.js and its chunks, with a tiny stand-in app.
    cpSync(build, dir, { recursive: true })
    writeFileSync(
      join(dir, 'index.html'),
      [
        '<!doctype html>',
        '<html>',
        '  <head>',
        '    <meta charset="UTF-8" />',
        '    <title>bridge</title>',
        '    <script>window.__inline = true</script>',
        '    <script type="module" src="/test-app.js"></script>',
        '  </head>',
        '  <body>bridge</body>',
        '</html>',
      ].join('\n'),
    )
    writeFileSync(
      join(dir, 'test-app.js'),
      [
        'window.__sawParley = typeof window.parley',
        'window.__events = []',
        "for (const name of ['connection', 'message']) window.parley.on(name, (payload) => window.__events.push({ event: name, payload }))",
        // Made before the socket can possibly be open: must be queued, not lost.
        'window.parley.conversations.list().then((v) => (window.__early = v), (e) => (window.__early = String(e)))',
      ].join('\n'),
    )
    host = await startWebHost({ core, rendererDir: dir })
    browser = await launchChromium()
    page = await browser.newPage()
    page.setDefaultTimeout(10_000)
    watch = watchPage('bridge', page)
    await page.goto(host.url)
  })

  afterAll(async () => {
    await browser?.close().catch(() => {})
    await host?.close()
    if (dir) rmSync(dir, { recursive: true, force: true })
  })

  it('defines window.parley before the app runs and queues calls made at once', async () => {
    expect(await page.evaluate(() => (globalThis as unknown as Win).__sawParley)).toBe('object')
    await eventually(async () => expect(await page.evaluate(() => (globalThis as unknown as Win).__early)).toEqual([conversation]))
    expect(watch.errors).toEqual([])
  })

  it('blocks inline script (CSP) and keeps window.parley fixed', async () => {
    expect(await page.evaluate(() => (globalThis as unknown as Win).__inline)).toBeUndefined()
    const fixed = await page.evaluate(() => {
      const g = globalThis as unknown as Win
      const before = g.parley
      try {
        ;(g as { parley: unknown }).parley = { evil: true }
      } catch {
        // strict-mode assignment to a read-only property throws; either way it must not change
      }
      return g.parley === before && Object.isFrozen(g.parley) && Object.isFrozen(g.parley.messages)
    })
    expect(fixed).toBe(true)
  })

  it('answers calls and turns errors into ParleyErrors with their code', async () => {
    expect(await page.evaluate(() => (globalThis as unknown as Win).parley.conversations.open('carol'))).toMatchObject({ peer: 'carol' })
    const err = await page.evaluate(() =>
      (globalThis as unknown as Win).parley.conversations.open('bad/name').then(
        () => null,
        (e: Error & { code?: string }) => ({ name: e.name, code: e.code, message: e.message }),
      ),
    )
    expect(err).toMatchObject({ name: 'ParleyError', code: 'invalid-argument' })
    expect(err?.message).toMatch(/\//)
  })

  it('delivers engine events to the page', async () => {
    const msg: ChatMessage = { id: 'm1', conversationId: 'dm:bob', sender: 'bob', direction: 'in', ts: 1, text: 'hi <b>x</b>', status: 'received', error: null }
    core.emit('message', msg)
    await eventually(async () =>
      expect(await page.evaluate(() => (globalThis as unknown as Win).__events.filter((e) => e.event === 'message'))).toEqual([
        { event: 'message', payload: msg },
      ]),
    )
  })

  it('rejects a call in flight when the host goes away, says so, and reconnects when it is back', async () => {
    const inFlight = page.evaluate(() =>
      (globalThis as unknown as Win).parley.messages.page({ conversationId: 'dm:bob' }).then(
        () => 'resolved',
        (e: Error) => `${e.name}: ${e.message}`,
      ),
    )
    await new Promise((r) => setTimeout(r, 200))
    const port = host.port
    await host.close()
    expect(await inFlight).toMatch(/^ParleyError: Lost connection to the Parley host/)
    await eventually(async () => {
      const states = await page.evaluate(() =>
        (globalThis as unknown as Win).__events.filter((e) => e.event === 'connection').map((e) => (e.payload as { state: string }).state),
      )
      expect(states).toContain('reconnecting')
    })
    // A call made while the host is down waits for it.
    const queued = page.evaluate(() => (globalThis as unknown as Win).parley.conversations.list().then((v) => v.length))
    await new Promise((r) => setTimeout(r, 300))
    host = await startWebHost({ core, rendererDir: dir, port, token: host.token })
    expect(await queued).toBe(1)
    // After reconnecting, the page hears the engine's real state again.
    await eventually(async () => {
      const states = await page.evaluate(() =>
        (globalThis as unknown as Win).__events.filter((e) => e.event === 'connection').map((e) => (e.payload as { state: string }).state),
      )
      expect(states.at(-1)).toBe('connected')
    })
    core.release()
  })

  it('without the token in the link, calls fail with a clear message', async () => {
    const other = await browser.newPage()
    try {
      await other.goto(`http://127.0.0.1:${host.port}/`)
      const msg = await other.evaluate(() =>
        (globalThis as unknown as Win).parley.account.getState().then(
          () => 'resolved',
          (e: Error) => e.message,
        ),
      )
      expect(msg).toMatch(/without its access token/)
    } finally {
      await other.close()
    }
  })
})
