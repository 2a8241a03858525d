/**
 * The web host on its own, with a fake engine (no MQTT, no browser): static file
 * serving, the bridge's token/Origin/Host guard, and calls + events over the bridge.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { request } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import type { ConversationSummary, ParleyEventName, ParleyEvents, ParleyServices } from '../../src/shared/contract'
import { startWebHost, type WebHost } from '../../src/host/server'
import { injectPreload, resolveStaticPath } from '../../src/host/static-files'
import { parseHostArgs } from '../../src/host/args'
import { EventBus, type AnyListener } from '../../src/main/core/kernel/event-bus'


function fakeCore() {
  const bus = new EventBus<ParleyEvents>()
  const calls: string[] = []
  const summary = (peer: string): ConversationSummary => ({
    id: `dm:${peer}`,
    kind: 'dm',
    peer,
    title: peer,
    folder: 'inbox',
    lastMessage: null,
    unread: 0,
    updatedAt: 1,
  })
  const services = {
    account: {
      getState: async () => ({ configured: false, user: null, broker: null, clientId: null, dataDir: '/tmp/x', connection: { state: 'idle', broker: null, detail: null, protocolVersion: null, retryInMs: null }, problem: null }),
      setup: async () => {
        throw new Error('not in this test')
      },
      reconnect: async () => {},
    },
    conversations: {
      list: async () => [summary('bob')],
      open: async (peer: string) => {
        calls.push(`open:${peer}`)
        return summary(peer)
      },
      markRead: async () => {},
    },
    messages: {
      page: async () => ({ messages: [], hasMore: false }),
      send: async () => {
        throw new Error('not in this test')
      },
    },
  } as unknown as ParleyServices
  return {
    services,
    calls,
    onEvent: (l: AnyListener<ParleyEvents>) => bus.onAny(l),
    emit: (event: ParleyEventName, payload: unknown) => bus.emit(event, payload as never),
    get listenerCount() {
      return bus.listenerCount
    },
  }
}

interface RawResponse {
  status: number
  headers: Record<string, string | string[] | undefined>
  body: string
}

/** Sends the path exactly as given (no client-side normalisation of `..`). */
function rawGet(port: number, path: string, headers: Record<string, string> = {}): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method: 'GET', headers }, (res) => {
      let body = ''
      res.setEncoding('utf8')
      res.on('data', (d: string) => (body += d))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }))
    })
    req.on('error', reject)
    req.end()
  })
}

interface Opened {
  ws: WebSocket
  messages: unknown[]
  next(pred?: (m: unknown) => boolean): Promise<unknown>
}

function openBridge(url: string, origin: string | undefined): Promise<Opened> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, origin === undefined ? {} : { origin })
    const messages: unknown[] = []
    const waiters: { pred: (m: unknown) => boolean; resolve: (m: unknown) => void }[] = []
    ws.on('message', (data) => {
      const m = JSON.parse(String(data)) as unknown
      messages.push(m)
      for (const w of [...waiters]) {
        if (w.pred(m)) {
          waiters.splice(waiters.indexOf(w), 1)
          w.resolve(m)
        }
      }
    })
    ws.once('open', () =>
      resolve({
        ws,
        messages,
        next: (pred = () => true) =>
          new Promise((res, rej) => {
            const found = messages.find(pred)
            if (found) return res(found)
            waiters.push({ pred, resolve: res })
            setTimeout(() => rej(new Error('no matching message within 5 s')), 5000).unref()
          }),
      }),
    )
    ws.once('unexpected-response', (_req, res) => reject(new Error(`refused with ${res.statusCode}`)))
    ws.once('error', reject)
  })
}

function closeCode(ws: WebSocket): Promise<number> {
  return new Promise((resolve) => ws.once('close', (code) => resolve(code)))
}

describe('web host', () => {
  let base: string
  let rendererDir: string
  let core: ReturnType<typeof fakeCore>
  let host: WebHost
  let origin: string
  let bridgeUrl: string

  beforeAll(async () => {
    base = mkdtempSync(join(tmpdir(), 'parley-host-'))
    rendererDir = join(base, 'renderer')
    mkdirSync(join(rendererDir, 'assets'), { recursive: true })
    writeFileSync(
      join(rendererDir, 'index.html'),
      '<!doctype html>\n<html>\n  <head>\n    <meta charset="UTF-8" />\n    <script type="module" crossorigin src="./assets/index-abc.js"></script>\n  </head>\n  <body><div id="app"></div></body>\n</html>\n',
    )
    writeFileSync(join(rendererDir, 'web-preload.js'), 'window.preloaded = true\n')
    writeFileSync(join(rendererDir, 'assets', 'index-abc.js'), 'console.log("app")\n')
    writeFileSync(join(rendererDir, 'assets', 'style.css'), 'body{}\n')
    writeFileSync(join(rendererDir, '.secret'), 'dotfile\n')
    writeFileSync(join(base, 'package.json'), '{"secret":"outside the renderer"}\n')
    core = fakeCore()
    host = await startWebHost({ core, rendererDir, port: 0 })
    origin = `http://127.0.0.1:${host.port}`
    bridgeUrl = `ws://127.0.0.1:${host.port}/bridge?token=${encodeURIComponent(host.token)}`
  })

  afterAll(async () => {
    await host?.close()
    rmSync(base, { recursive: true, force: true })
  })

  it('prints a loopback URL with a long random token', () => {
    expect(host.url).toBe(`http://127.0.0.1:${host.port}/?token=${host.token}`)
    expect(host.token).toMatch(/^[A-Za-z0-9_-]{32}$/)
  })

  it('serves index.html with the web preload as the first script and strict headers', async () => {
    for (const path of ['/', '/index.html', '/?token=abc']) {
      const res = await rawGet(host.port, path)
      expect(res.status).toBe(200)
      expect(res.headers['content-type']).toBe('text/html; charset=utf-8')
      expect(res.headers['cache-control']).toBe('no-store')
      expect(res.headers['x-content-type-options']).toBe('nosniff')
      expect(res.headers['referrer-policy']).toBe('no-referrer')
      const csp = String(res.headers['content-security-policy'])
      expect(csp).toContain("default-src 'self'")
      expect(csp).toContain("script-src 'self'")
      expect(csp).toContain(`connect-src 'self' ws://127.0.0.1:${host.port}`)
      expect(csp).toContain("object-src 'none'")
      expect(csp).toContain("frame-ancestors 'none'")
      const preloadAt = res.body.indexOf('<script type="module" src="/web-preload.js"></script>')
      expect(preloadAt).toBeGreaterThan(res.body.indexOf('<head>'))
      expect(preloadAt).toBeLessThan(res.body.indexOf('./assets/index-abc.js'))
      expect(res.body.match(/<script/g)?.length).toBe(2)
    }
  })

  it('serves built files with their content types', async () => {
    const js = await rawGet(host.port, '/web-preload.js')
    expect(js.status).toBe(200)
    expect(js.headers['content-type']).toBe('text/javascript; charset=utf-8')
    expect(js.body).toBe('window.preloaded = true\n')
    const css = await rawGet(host.port, '/assets/style.css')
    expect(css.headers['content-type']).toBe('text/css; charset=utf-8')
    expect((await rawGet(host.port, '/assets/missing.js')).status).toBe(404)
    expect((await rawGet(host.port, '/assets')).status).toBe(404)
  })

  it('refuses paths outside the renderer build', async () => {
    for (const path of [
      '/../package.json',
      '/%2e%2e/package.json',
      '/%2E%2E%2Fpackage.json',
      '/assets/..%2f..%2fpackage.json',
      '/assets/%2e%2e/%2e%2e/package.json',
      '/..%5cpackage.json',
      '/.secret',
      '/%2esecret',
      '/web-preload.js%00.html',
      '/%E0%A4%A',
    ]) {
      const res = await rawGet(host.port, path)
      expect(res.status, path).toBe(404)
      expect(res.body, path).not.toContain('outside the renderer')
      expect(res.body, path).not.toContain('dotfile')
    }
    expect(resolveStaticPath(rendererDir, '/../package.json')).toBeNull()
    expect(resolveStaticPath(rendererDir, '/%2e%2e/package.json')).toBeNull()
    expect(resolveStaticPath(rendererDir, '/assets/style.css')).toBe(join(rendererDir, 'assets', 'style.css'))
  })

  it('refuses requests that name another host (DNS rebinding) and other methods', async () => {
    const res = await rawGet(host.port, '/', { Host: `evil.example:${host.port}` })
    expect(res.status).toBe(421)
    const post = await new Promise<number>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port: host.port, path: '/', method: 'POST' }, (r) => {
        r.resume()
        resolve(r.statusCode ?? 0)
      })
      req.on('error', reject)
      req.end('x')
    })
    expect(post).toBe(405)
  })

  it('refuses a bridge connection without the token, with a wrong token, or from a foreign Origin', async () => {
    const noToken = `ws://127.0.0.1:${host.port}/bridge`
    const wrong = `ws://127.0.0.1:${host.port}/bridge?token=${'A'.repeat(32)}`
    const prefix = `ws://127.0.0.1:${host.port}/bridge?token=${host.token.slice(0, 10)}`
    await expect(openBridge(noToken, origin)).rejects.toThrow(/403/)
    await expect(openBridge(wrong, origin)).rejects.toThrow(/403/)
    await expect(openBridge(prefix, origin)).rejects.toThrow(/403/)
    await expect(openBridge(bridgeUrl, 'http://evil.example')).rejects.toThrow(/403/)
    await expect(openBridge(bridgeUrl, `http://localhost:${host.port}`)).rejects.toThrow(/403/)
    await expect(openBridge(bridgeUrl, 'null')).rejects.toThrow(/403/)
    await expect(openBridge(bridgeUrl, undefined)).rejects.toThrow(/403/)
    await expect(openBridge(`ws://127.0.0.1:${host.port}/other?token=${host.token}`, origin)).rejects.toThrow(/404/)
  })

  it('answers a valid call, and an invalid argument with invalid-argument', async () => {
    const b = await openBridge(bridgeUrl, origin)
    try {
      b.ws.send(JSON.stringify({ id: 1, call: { service: 'conversations', method: 'open', args: ['bob'] } }))
      const ok = (await b.next((m) => (m as { id?: number }).id === 1)) as { id: number; result: { ok: boolean; value: ConversationSummary } }
      expect(ok.result.ok).toBe(true)
      expect(ok.result.value.peer).toBe('bob')
      expect(core.calls).toContain('open:bob')

      b.ws.send(JSON.stringify({ id: 2, call: { service: 'conversations', method: 'open', args: ['bad/name'] } }))
      const bad = (await b.next((m) => (m as { id?: number }).id === 2)) as { result: unknown }
      expect(bad.result).toMatchObject({ ok: false, error: { code: 'invalid-argument' } })
      expect(core.calls).not.toContain('open:bad/name')

      b.ws.send(JSON.stringify({ id: 3, call: { service: 'constructor', method: 'prototype', args: [] } }))
      const unknown = (await b.next((m) => (m as { id?: number }).id === 3)) as { result: unknown }
      expect(unknown.result).toMatchObject({ ok: false, error: { code: 'invalid-argument' } })

      b.ws.send(JSON.stringify({ id: 4, call: { service: 'messages', method: 'send', args: [{ conversationId: 'dm:bob', text: 'hi' }] } }))
      const failed = (await b.next((m) => (m as { id?: number }).id === 4)) as { result: unknown }
      // An unexpected error's text stays in the host's log; the page gets a code to quote.
      expect(failed.result).toMatchObject({ ok: false, error: { code: 'internal', message: expect.stringMatching(/^Something went wrong \(code [0-9A-F]{8}\)/) } })
      expect(JSON.stringify(failed.result)).not.toContain('not in this test')
    } finally {
      b.ws.close()
    }
  })

  it('pushes engine events to every connected page', async () => {
    const a = await openBridge(bridgeUrl, origin)
    const b = await openBridge(bridgeUrl, origin)
    try {
      const payload = { state: 'connected', broker: 'mqtt://127.0.0.1:1', detail: null, protocolVersion: 5, retryInMs: null }
      core.emit('connection', payload)
      for (const c of [a, b]) {
        expect(await c.next((m) => (m as { event?: string }).event === 'connection')).toEqual({ event: 'connection', payload })
      }
    } finally {
      a.ws.close()
      b.ws.close()
    }
  })

  it('closes the socket on a frame that is not JSON, not a call, binary, or over 1 MiB', async () => {
    const cases: [string, (ws: WebSocket) => void, number][] = [
      ['not JSON', (ws) => ws.send('{nope'), 1007],
      ['no id', (ws) => ws.send(JSON.stringify({ call: {} })), 1007],
      ['binary', (ws) => ws.send(Buffer.from('{}')), 1003],
      ['oversize', (ws) => ws.send(JSON.stringify({ id: 1, call: { service: 'x', method: 'y', args: ['x'.repeat(1024 * 1024)] } })), 1009],
    ]
    for (const [what, send, code] of cases) {
      const b = await openBridge(bridgeUrl, origin)
      const closed = closeCode(b.ws)
      send(b.ws)
      expect(await closed, what).toBe(code)
    }
  })

  it('stops listening and forgets the engine when closed', async () => {
    const extra = await startWebHost({ core, rendererDir })
    const before = core.listenerCount
    const b = await openBridge(`ws://127.0.0.1:${extra.port}/bridge?token=${extra.token}`, `http://127.0.0.1:${extra.port}`)
    const closed = closeCode(b.ws)
    await extra.close()
    expect(await closed).toBe(1001)
    expect(core.listenerCount).toBe(before - 1)
    await expect(rawGet(extra.port, '/')).rejects.toThrow()
  })
})

describe('web host helpers', () => {
  it('injects the preload into a head with attributes, or in front of a document without one', () => {
    expect(injectPreload('<html><HEAD lang="en"><script src="a.js"></script></HEAD></html>')).toMatch(
      /^<html><HEAD lang="en">\s*<script type="module" src="\/web-preload.js"><\/script><script src="a.js">/,
    )
    expect(injectPreload('<p>x</p>')).toMatch(/^<script type="module" src="\/web-preload.js"><\/script>\n<p>x<\/p>$/)
  })

  it('parses the host command line', () => {
    expect(parseHostArgs([], {})).toEqual({ port: 0, help: false })
    expect(parseHostArgs(['--data-dir', '/tmp/a', '--port', '8080'], {})).toEqual({ dataDir: '/tmp/a', port: 8080, help: false })
    expect(parseHostArgs(['--port=0', '--data-dir=/x'], { PARLEY_WEB_PORT: '9000' })).toEqual({ dataDir: '/x', port: 0, help: false })
    expect(parseHostArgs([], { PARLEY_WEB_PORT: '9000' }).port).toBe(9000)
    expect(() => parseHostArgs(['--port', '70000'], {})).toThrow(/port number/)
    expect(() => parseHostArgs(['--port'], {})).toThrow(/needs a value/)
    expect(() => parseHostArgs(['--data-dir='], {})).toThrow(/needs a value/)
    expect(() => parseHostArgs(['--nope'], {})).toThrow(/Unknown option/)
  })
})
