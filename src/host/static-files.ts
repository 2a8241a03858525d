/**
 * The built renderer over HTTP: index.html with the web preload put first, and the
 * build's other files, never anything outside it; every answer with the host's
 * security headers.
 */
import { createReadStream, promises as fsp } from 'node:fs'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { extname, resolve, sep } from 'node:path'

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

export interface RendererFiles {
  /** A short plain-text answer (an error, a refusal). */
  sendText(res: ServerResponse, status: number, text: string, extra?: Record<string, string>): void
  /** Answers a GET or HEAD for `pathname`: the page itself, or a file of the build. */
  serve(req: IncomingMessage, res: ServerResponse, pathname: string): Promise<void>
}

/** Serves `rendererDir`; `port` is the host's, once it listens (the CSP allows its bridge). */
export async function rendererFiles(rendererDir: string, port: () => number): Promise<RendererFiles> {
  const root = resolve(rendererDir)
  const rootReal = await fsp.realpath(root)

  const securityHeaders = (res: ServerResponse) => {
    res.setHeader('Content-Security-Policy', contentSecurityPolicy(port()))
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
      html = await fsp.readFile(resolve(root, 'index.html'), 'utf8')
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
    const file = resolveStaticPath(root, pathname)
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
    if (real !== rootReal && !real.startsWith(rootReal + sep)) return sendText(res, 404, 'Not found\n')
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

  return {
    sendText,
    serve: (req, res, pathname) => (pathname === '/' || pathname === '/index.html' ? serveIndex(req, res) : serveStatic(req, res, pathname)),
  }
}
