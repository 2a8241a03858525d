/**
 * Parley's web host: serves the built renderer to a browser on 127.0.0.1 and
 * carries the typed API (`dispatchCall` + core events) over one WebSocket,
 * `/bridge`. The browser side of the bridge is src/preload/web.ts.
 *
 * Trust model: anything on this machine can reach a loopback port, and any web
 * page the user visits can try to open `ws://127.0.0.1:PORT`. The bridge
 * therefore requires (1) a random token that only the printed URL carries and
 * (2) an Origin equal to the host's own origin (so other sites cannot use the
 * bridge even if they learn the port), and every HTTP request must name the host
 * as `127.0.0.1:PORT` (no DNS rebinding). Static files are public build output;
 * the token guards the data.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'
import { createReadStream, promises as fsp } from 'node:fs'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { Duplex } from 'node:stream'
import { extname, resolve, sep } from 'node:path'
import { WebSocketServer, type RawData, type WebSocket } from 'ws'
import type { ParleyEventName, ParleyServices } from '../shared/contract'
import { dispatchCall, type CallResult } from '../shared/rpc'
import { logUnexpected, type Logger } from '../main/core/kernel/log'

/** What the host needs from a ParleyCore (tests pass a plain object). */
export interface HostedCore {
  readonly services: ParleyServices
  onEvent(listener: (event: ParleyEventName, payload: unknown) => void): () => void
}

export interface WebHostOptions {
  core: HostedCore
  /** Directory of the built renderer (out/renderer): index.html, web-preload.js, assets/. */
  rendererDir: string
  /** 0 (the default) picks a free port. */
  port?: number
  /** Loopback only; the option exists so callers can state it. */
  host?: '127.0.0.1'
  /** Defaults to 24 random bytes, base64url. */
  token?: string
  log?: Logger
}

export interface WebHost {
  url: string
  port: number
  token: string
  close(): Promise<void>
}

/** Largest WebSocket frame the bridge accepts; bigger frames close the socket (1009). */
export const MAX_FRAME_BYTES = 1024 * 1024
/** Calls one socket may have running at once; more are answered with an error. */
const MAX_IN_FLIGHT = 256
/** A client that stops reading is dropped rather than buffered without bound. */
const MAX_BUFFERED_BYTES = 32 * 1024 * 1024
const PING_INTERVAL_MS = 30_000

const PRELOAD_TAG = '<script type="module" src="/web-preload.js"></script>'

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.txt': 'text/plain; charset=utf-8',
  '.wasm': 'application/wasm',
}

const noopLog: Logger = { debug() {}, info() {}, warn() {}, error() {} }

function digest(s: string): Buffer {
  return createHash('sha256').update(s, 'utf8').digest()
}

/** Constant-time comparison; hashing first makes the lengths equal. */
export function tokensEqual(given: string, expected: string): boolean {
  return timingSafeEqual(digest(given), digest(expected))
}

/** Puts the web preload before every other script, so `window.parley` exists before the app runs. */
export function injectPreload(html: string): string {
  const head = /<head(\s[^>]*)?>/i.exec(html)
  if (head) {
    const at = head.index + head[0].length
    return html.slice(0, at) + '\n    ' + PRELOAD_TAG + html.slice(at)
  }
  return PRELOAD_TAG + '\n' + html
}

function contentSecurityPolicy(port: number): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    `connect-src 'self' ws://127.0.0.1:${port}`,
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ')
}

/**
 * Maps a request path to a file under `root`, or null. Decodes once, refuses
 * NUL, backslashes, `..` and dot-file segments, then checks the resolved path is
 * still inside `root` (and, in `serveStatic`, that its real path is too).
 */
export function resolveStaticPath(root: string, rawPath: string): string | null {
  let decoded: string
  try {
    decoded = decodeURIComponent(rawPath)
  } catch {
    return null
  }
  if (!decoded.startsWith('/') || decoded.includes('\0') || decoded.includes('\\')) return null
  const segments = decoded.split('/').filter((s) => s.length > 0)
  if (segments.some((s) => s === '.' || s === '..' || s.startsWith('.'))) return null
  const rootAbs = resolve(root)
  const full = resolve(rootAbs, ...segments)
  if (full !== rootAbs && !full.startsWith(rootAbs + sep)) return null
  return full
}

function firstHeader(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v
}

export async function startWebHost(opts: WebHostOptions): Promise<WebHost> {
  const log = opts.log ?? noopLog
  const bindHost = '127.0.0.1'
  if (opts.host !== undefined && opts.host !== bindHost) throw new Error('The Parley web host listens on 127.0.0.1 only.')
  const token = opts.token ?? randomBytes(24).toString('base64url')
  if (token.length < 16) throw new Error('The web host token must be at least 16 characters.')
  const rendererDir = resolve(opts.rendererDir)
  const rendererReal = await fsp.realpath(rendererDir)
  const core = opts.core

  let port = 0
  let origin = ''
  let hostHeader = ''
  let csp = ''

  const securityHeaders = (res: ServerResponse) => {
    res.setHeader('Content-Security-Policy', csp)
    res.setHeader('X-Content-Type-Options', 'nosniff')
    res.setHeader('Referrer-Policy', 'no-referrer')
    res.setHeader('X-Frame-Options', 'DENY')
    res.setHeader('Cross-Origin-Opener-Policy', 'same-origin')
    res.setHeader('Cross-Origin-Resource-Policy', 'same-origin')
  }

  const sendText = (res: ServerResponse, status: number, text: string, extra: Record<string, string> = {}) => {
    securityHeaders(res)
    res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store', ...extra })
    res.end(text)
  }

  const serveIndex = async (req: IncomingMessage, res: ServerResponse) => {
    let html: string
    try {
      html = await fsp.readFile(resolve(rendererDir, 'index.html'), 'utf8')
    } catch {
      sendText(res, 500, 'The Parley web interface is not built (index.html is missing). Run npm run build first.\n')
      return
    }
    const body = Buffer.from(injectPreload(html), 'utf8')
    securityHeaders(res)
    res.writeHead(200, {
      'Content-Type': 'text/html; charset=utf-8',
      'Content-Length': body.length,
      'Cache-Control': 'no-store',
    })
    res.end(req.method === 'HEAD' ? undefined : body)
  }

  const serveStatic = async (req: IncomingMessage, res: ServerResponse, pathname: string) => {
    const file = resolveStaticPath(rendererDir, pathname)
    if (!file) return sendText(res, 404, 'Not found\n')
    let real: string
    let size: number
    try {
      real = await fsp.realpath(file)
      const st = await fsp.stat(real)
      if (!st.isFile()) return sendText(res, 404, 'Not found\n')
      size = st.size
    } catch {
      return sendText(res, 404, 'Not found\n')
    }
    // A symlink inside the build must not lead outside it.
    if (real !== rendererReal && !real.startsWith(rendererReal + sep)) return sendText(res, 404, 'Not found\n')
    const type = CONTENT_TYPES[extname(real).toLowerCase()] ?? 'application/octet-stream'
    securityHeaders(res)
    res.writeHead(200, {
      'Content-Type': type,
      'Content-Length': size,
      'Cache-Control': type.startsWith('text/html') ? 'no-store' : 'no-cache',
    })
    if (req.method === 'HEAD') return void res.end()
    const stream = createReadStream(real)
    stream.on('error', () => res.destroy())
    stream.pipe(res)
  }

  const onRequest = (req: IncomingMessage, res: ServerResponse) => {
    if (firstHeader(req.headers.host) !== hostHeader) {
      return sendText(res, 421, `Open ${origin}/ (with the token from the host's output) instead.\n`)
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') return sendText(res, 405, 'Method not allowed\n', { Allow: 'GET, HEAD' })
    const raw = req.url ?? '/'
    if (!raw.startsWith('/')) return sendText(res, 400, 'Bad request\n')
    const pathname = raw.split('?', 1)[0]!.split('#', 1)[0]!
    const task = pathname === '/' || pathname === '/index.html' ? serveIndex(req, res) : serveStatic(req, res, pathname)
    task.catch((err: unknown) => {
      log.warn('web host: request failed', { path: pathname, error: err instanceof Error ? err.message : String(err) })
      if (!res.headersSent) sendText(res, 500, 'Internal error\n')
      else res.destroy()
    })
  }

  const server: Server = createServer(onRequest)
  server.headersTimeout = 20_000
  server.requestTimeout = 30_000
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES, perMessageDeflate: false })

  const refuse = (socket: Duplex, status: number, reason: string) => {
    const text = status === 403 ? 'Forbidden' : status === 404 ? 'Not Found' : 'Bad Request'
    socket.once('finish', () => socket.destroy())
    setTimeout(() => socket.destroy(), 2000).unref()
    socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Type: text/plain\r\nContent-Length: ${reason.length}\r\n\r\n${reason}`)
  }

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy())
    let url: URL
    try {
      url = new URL(req.url ?? '/', origin)
    } catch {
      return refuse(socket, 400, 'bad request')
    }
    if (url.pathname !== '/bridge') return refuse(socket, 404, 'not found')
    const given = url.searchParams.get('token') ?? ''
    const okToken = given.length > 0 && tokensEqual(given, token)
    const okOrigin = firstHeader(req.headers.origin) === origin
    const okHost = firstHeader(req.headers.host) === hostHeader
    if (!okToken || !okOrigin || !okHost) {
      log.warn('web host: refused a bridge connection', {
        token: okToken ? 'ok' : 'wrong',
        origin: firstHeader(req.headers.origin) ?? null,
        host: okHost ? 'ok' : 'wrong',
      })
      return refuse(socket, 403, 'forbidden')
    }
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req))
  })

  const alive = new WeakMap<WebSocket, boolean>()

  wss.on('connection', (ws: WebSocket) => {
    alive.set(ws, true)
    let inFlight = 0
    log.debug('web host: bridge connected', { clients: wss.clients.size })
    ws.on('pong', () => alive.set(ws, true))
    ws.on('error', (err) => log.debug('web host: bridge socket error', { error: err.message }))
    ws.on('message', (data: RawData, isBinary: boolean) => {
      if (isBinary) return ws.close(1003, 'text frames only')
      let msg: unknown
      try {
        msg = JSON.parse(rawToString(data))
      } catch {
        return ws.close(1007, 'not JSON')
      }
      if (typeof msg !== 'object' || msg === null || Array.isArray(msg)) return ws.close(1007, 'not a call')
      const { id, call } = msg as { id?: unknown; call?: unknown }
      if (typeof id !== 'number' || !Number.isSafeInteger(id)) return ws.close(1007, 'a call needs a numeric id')
      const reply = (result: CallResult) => {
        if (ws.readyState !== ws.OPEN) return
        ws.send(JSON.stringify({ id, result }))
      }
      if (inFlight >= MAX_IN_FLIGHT) {
        return reply({ ok: false, error: { code: 'failed', message: 'Too many calls at once; try again.' } })
      }
      inFlight++
      // dispatchCall never rejects; unexpected errors reach the person as a code and the log in full.
      void dispatchCall(core.services, call, logUnexpected(log))
        .then(reply)
        .finally(() => inFlight--)
    })
  })

  const pinger = setInterval(() => {
    for (const ws of wss.clients) {
      if (alive.get(ws) === false) {
        ws.terminate()
        continue
      }
      alive.set(ws, false)
      ws.ping()
    }
  }, PING_INTERVAL_MS)
  pinger.unref()

  const unsubscribe = core.onEvent((event, payload) => {
    if (wss.clients.size === 0) return
    let frame: string
    try {
      frame = JSON.stringify({ event, payload })
    } catch (err) {
      log.warn('web host: could not serialise an event', { event, error: err instanceof Error ? err.message : String(err) })
      return
    }
    for (const ws of wss.clients) {
      if (ws.readyState !== ws.OPEN) continue
      if (ws.bufferedAmount > MAX_BUFFERED_BYTES) {
        log.warn('web host: dropping a client that stopped reading')
        ws.terminate()
        continue
      }
      ws.send(frame)
    }
  })

  try {
    await new Promise<void>((ok, fail) => {
      server.once('error', fail)
      server.listen(opts.port ?? 0, bindHost, () => {
        server.off('error', fail)
        ok()
      })
    })
  } catch (err) {
    unsubscribe()
    clearInterval(pinger)
    wss.close()
    const code = (err as NodeJS.ErrnoException).code
    if (code === 'EADDRINUSE') throw new Error(`Port ${opts.port} on 127.0.0.1 is already in use; choose another with --port.`)
    throw err
  }
  const addr = server.address()
  port = typeof addr === 'object' && addr ? addr.port : 0
  origin = `http://${bindHost}:${port}`
  hostHeader = `${bindHost}:${port}`
  csp = contentSecurityPolicy(port)
  const url = `${origin}/?token=${encodeURIComponent(token)}`

  let closing: Promise<void> | null = null
  const close = () => {
    closing ??= (async () => {
      unsubscribe()
      clearInterval(pinger)
      for (const ws of wss.clients) ws.close(1001, 'host shutting down')
      // Give browsers a moment to answer the close handshake, then cut what is left.
      const timer = setTimeout(() => {
        for (const ws of wss.clients) ws.terminate()
        server.closeAllConnections()
      }, 500)
      await new Promise<void>((ok) => wss.close(() => ok()))
      clearTimeout(timer)
      const closed = new Promise<void>((ok) => server.close(() => ok()))
      server.closeIdleConnections()
      const cut = setTimeout(() => server.closeAllConnections(), 500)
      await closed
      clearTimeout(cut)
    })()
    return closing
  }

  return { url, port, token, close }
}

function rawToString(data: RawData): string {
  if (Buffer.isBuffer(data)) return data.toString('utf8')
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8')
  return Buffer.from(data).toString('utf8')
}
