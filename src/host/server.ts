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
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { Duplex } from 'node:stream'
import type { Logger } from '../main/core/kernel/log'
import { startBridge, type HostedCore } from './bridge'
import { rendererFiles } from './static-files'

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

const noopLog: Logger = { debug() {}, info() {}, warn() {}, error() {} }

function digest(s: string): Buffer {
  return createHash('sha256').update(s, 'utf8').digest()
}

/** Constant-time comparison; hashing first makes the lengths equal. */
export function tokensEqual(given: string, expected: string): boolean {
  return timingSafeEqual(digest(given), digest(expected))
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

  let port = 0
  let origin = ''
  let hostHeader = ''
  const files = await rendererFiles(opts.rendererDir, () => port)
  const { sendText } = files

  const onRequest = (req: IncomingMessage, res: ServerResponse) => {
    if (firstHeader(req.headers.host) !== hostHeader) {
      return sendText(res, 421, `Open ${origin}/ (with the token from the host's output) instead.\n`)
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') return sendText(res, 405, 'Method not allowed\n', { Allow: 'GET, HEAD' })
    const raw = req.url ?? '/'
    if (!raw.startsWith('/')) return sendText(res, 400, 'Bad request\n')
    const pathname = raw.split('?', 1)[0]!.split('#', 1)[0]!
    files.serve(req, res, pathname).catch((err: unknown) => {
      log.warn('web host: request failed', { path: pathname, error: err instanceof Error ? err.message : String(err) })
      if (!res.headersSent) sendText(res, 500, 'Internal error\n')
      else res.destroy()
    })
  }

  const server: Server = createServer(onRequest)
  server.headersTimeout = 20_000
  server.requestTimeout = 30_000
  const bridge = startBridge(opts.core, log)

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
    bridge.accept(req, socket, head)
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
    await bridge.close()
    const code = (err as NodeJS.ErrnoException).code
    if (code === 'EADDRINUSE') throw new Error(`Port ${opts.port} on 127.0.0.1 is already in use; choose another with --port.`)
    throw err
  }
  const addr = server.address()
  port = typeof addr === 'object' && addr ? addr.port : 0
  origin = `http://${bindHost}:${port}`
  hostHeader = `${bindHost}:${port}`
  const url = `${origin}/?token=${encodeURIComponent(token)}`

  let closing: Promise<void> | null = null
  const close = () => {
    closing ??= (async () => {
      await bridge.close(() => server.closeAllConnections())
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
