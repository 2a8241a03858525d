import { beforeEach, describe, expect, it, vi } from 'vitest'

const fx = vi.hoisted(() => {
  type Handler = (...args: unknown[]) => unknown
  class FakeWebContents {
    handlers = new Map<string, Handler[]>()
    windowOpenHandler: Handler | null = null
    url = ''
    session = {
      permissionRequest: null as Handler | null,
      permissionCheck: null as Handler | null,
      headersReceived: null as Handler | null,
      setPermissionRequestHandler(h: Handler) {
        this.permissionRequest = h
      },
      setPermissionCheckHandler(h: Handler) {
        this.permissionCheck = h
      },
      webRequest: {
        onHeadersReceived: (h: Handler) => {
          fx.last!.webContents.session.headersReceived = h
        },
      },
    }
    on(name: string, h: Handler) {
      this.handlers.set(name, [...(this.handlers.get(name) ?? []), h])
      return this
    }
    emit(name: string, ...args: unknown[]) {
      for (const h of this.handlers.get(name) ?? []) h(...args)
    }
    setWindowOpenHandler(h: Handler) {
      this.windowOpenHandler = h
    }
    getURL() {
      return this.url
    }
  }
  class FakeBrowserWindow {
    webContents = new FakeWebContents()
    once = vi.fn()
    show = vi.fn()
    loadURL = vi.fn(async (url: string) => {
      this.webContents.url = url
    })
    loadFile = vi.fn(async (path: string) => {
      this.webContents.url = 'file://' + path
    })
    constructor(readonly options: Record<string, unknown>) {
      fx.last = this
    }
  }
  return {
    last: null as FakeBrowserWindow | null,
    FakeBrowserWindow,
    openExternal: vi.fn(async (_url: string) => undefined),
  }
})

vi.mock('electron', () => ({
  BrowserWindow: fx.FakeBrowserWindow,
  shell: { openExternal: fx.openExternal },
}))

import { CONTENT_SECURITY_POLICY } from '../../../src/main/security'
import { rendererLocation, trustedRendererUrl } from '../../../src/main/renderer-location'
import { createMainWindow } from '../../../src/main/window'

const OUT_MAIN = '/opt/parley/out/main'
const PRELOAD = '/opt/parley/out/preload/index.js'

function open(env: NodeJS.ProcessEnv = {}) {
  const location = rendererLocation({ outMainDir: OUT_MAIN, env, isPackaged: false })
  createMainWindow({ preloadPath: PRELOAD, location, isTrustedUrl: trustedRendererUrl(location) })
  return fx.last!
}

function navigate(win: ReturnType<typeof open>, event: 'will-navigate' | 'will-redirect', url: string): boolean {
  const preventDefault = vi.fn()
  win.webContents.emit(event, { preventDefault, url }, url)
  return preventDefault.mock.calls.length > 0
}

describe('main window', () => {
  beforeEach(() => {
    fx.openExternal.mockClear()
  })

  it('is created hardened, with the preload', () => {
    const win = open()
    const prefs = win.options.webPreferences as Record<string, unknown>
    expect(prefs).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      spellcheck: true,
      webviewTag: false,
      preload: PRELOAD,
    })
    expect(win.options.show).toBe(false)
    expect(win.once).toHaveBeenCalledWith('ready-to-show', expect.any(Function))
  })

  it('loads the built renderer file, or the dev server when electron-vite names one', () => {
    const built = open()
    expect(built.loadFile).toHaveBeenCalledWith('/opt/parley/out/renderer/index.html')
    expect(built.loadURL).not.toHaveBeenCalled()
    const dev = open({ ELECTRON_RENDERER_URL: 'http://localhost:5173' })
    expect(dev.loadURL).toHaveBeenCalledWith('http://localhost:5173')
    expect(dev.loadFile).not.toHaveBeenCalled()
  })

  it('ignores ELECTRON_RENDERER_URL in a packaged app', () => {
    const loc = rendererLocation({ outMainDir: OUT_MAIN, env: { ELECTRON_RENDERER_URL: 'http://localhost:5173' }, isPackaged: true })
    expect(loc.kind).toBe('file')
  })

  it('prevents navigation to any other page', () => {
    const win = open()
    expect(navigate(win, 'will-navigate', 'https://evil.example/')).toBe(true)
    expect(navigate(win, 'will-navigate', 'file:///etc/passwd')).toBe(true)
    expect(navigate(win, 'will-redirect', 'https://evil.example/')).toBe(true)
    expect(navigate(win, 'will-navigate', 'file:///opt/parley/out/renderer/index.html#/chat')).toBe(false)
  })

  it('keeps a dev window on the dev server origin', () => {
    const win = open({ ELECTRON_RENDERER_URL: 'http://localhost:5173' })
    expect(navigate(win, 'will-navigate', 'http://localhost:5173/')).toBe(false)
    expect(navigate(win, 'will-navigate', 'http://localhost:5174/')).toBe(true)
  })

  it('denies window.open and sends only http(s) links to the system browser', () => {
    const win = open()
    const handler = win.webContents.windowOpenHandler!
    expect(handler({ url: 'https://example.org/page' })).toEqual({ action: 'deny' })
    expect(fx.openExternal).toHaveBeenCalledWith('https://example.org/page')
    fx.openExternal.mockClear()
    for (const url of ['file:///etc/passwd', 'javascript:alert(1)', 'smb://host/share', 'not a url']) {
      expect(handler({ url })).toEqual({ action: 'deny' })
    }
    expect(fx.openExternal).not.toHaveBeenCalled()
  })

  it('refuses <webview>', () => {
    const win = open()
    const preventDefault = vi.fn()
    win.webContents.emit('will-attach-webview', { preventDefault }, {}, {})
    expect(preventDefault).toHaveBeenCalled()
  })

  it('grants only notifications, and only to our page', async () => {
    const win = open()
    await Promise.resolve()
    const ask = (permission: string, url = 'file:///opt/parley/out/renderer/index.html') =>
      new Promise<boolean>((resolve) => win.webContents.session.permissionRequest!({ getURL: () => url }, permission, resolve, {}))
    expect(await ask('notifications')).toBe(true)
    expect(await ask('media')).toBe(false)
    expect(await ask('geolocation')).toBe(false)
    expect(await ask('notifications', 'https://evil.example/')).toBe(false)
    expect(win.webContents.session.permissionCheck!({ getURL: () => 'file:///opt/parley/out/renderer/index.html' }, 'clipboard-read', '', {})).toBe(false)
  })

  it('sends the CSP header on every response, replacing any other', () => {
    const win = open()
    let result: { responseHeaders: Record<string, unknown> } | undefined
    win.webContents.session.headersReceived!(
      { responseHeaders: { 'content-type': ['text/html'], 'content-security-policy': ["default-src *"] } },
      (r: { responseHeaders: Record<string, unknown> }) => (result = r),
    )
    expect(result!.responseHeaders).toEqual({ 'content-type': ['text/html'], 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] })
    expect(CONTENT_SECURITY_POLICY).toContain("script-src 'self'")
    expect(CONTENT_SECURITY_POLICY).toContain("object-src 'none'")
  })
})

describe('trusted renderer URL', () => {
  it('accepts exactly the built index.html', () => {
    const trusted = trustedRendererUrl(rendererLocation({ outMainDir: OUT_MAIN, env: {}, isPackaged: true }))
    expect(trusted('file:///opt/parley/out/renderer/index.html')).toBe(true)
    expect(trusted('file:///opt/parley/out/renderer/index.html?x=1#/c/alice')).toBe(true)
    expect(trusted('file:///opt/parley/out/renderer/other.html')).toBe(false)
    expect(trusted('file:///tmp/index.html')).toBe(false)
    expect(trusted('https://opt/parley/out/renderer/index.html')).toBe(false)
    expect(trusted('')).toBe(false)
  })

  it('accepts the dev server origin only', () => {
    const trusted = trustedRendererUrl({ kind: 'dev', url: 'http://localhost:5173/' })
    expect(trusted('http://localhost:5173/src/main.ts')).toBe(true)
    expect(trusted('http://127.0.0.1:5173/')).toBe(false)
    expect(trusted('file:///opt/parley/out/renderer/index.html')).toBe(false)
  })
})
