import { join } from 'node:path'
import { pathToFileURL } from 'node:url'

/** Where the window's page comes from: the electron-vite dev server, or the built file. */
export type RendererLocation = { kind: 'dev'; url: string } | { kind: 'file'; path: string; url: string }

/**
 * `outMainDir` is the directory of the built main bundle (out/main). The dev server URL
 * is honoured only in an unpackaged app: electron-vite sets ELECTRON_RENDERER_URL in
 * `electron-vite dev`, and a packaged app must never load pages named by its environment.
 */
export function rendererLocation(opts: { outMainDir: string; env: NodeJS.ProcessEnv; isPackaged: boolean }): RendererLocation {
  const devUrl = opts.env.ELECTRON_RENDERER_URL
  if (devUrl && !opts.isPackaged && isHttpUrl(devUrl)) return { kind: 'dev', url: devUrl }
  const path = join(opts.outMainDir, '..', 'renderer', 'index.html')
  return { kind: 'file', path, url: pathToFileURL(path).href }
}

function isHttpUrl(raw: string): boolean {
  try {
    const u = new URL(raw)
    return u.protocol === 'http:' || u.protocol === 'https:'
  } catch {
    return false
  }
}

/**
 * Is `url` our renderer page? In dev: the dev server's origin (Vite serves modules and
 * reloads under it). Built: exactly the file URL of out/renderer/index.html (any query or
 * hash), so no other local file can talk to the engine.
 */
export function trustedRendererUrl(loc: RendererLocation): (url: string) => boolean {
  if (loc.kind === 'dev') {
    const origin = new URL(loc.url).origin
    return (url) => {
      try {
        return new URL(url).origin === origin
      } catch {
        return false
      }
    }
  }
  const expected = new URL(loc.url)
  return (url) => {
    try {
      const u = new URL(url)
      return u.protocol === 'file:' && u.host === expected.host && u.pathname === expected.pathname
    } catch {
      return false
    }
  }
}
