import { BrowserWindow, shell } from 'electron'
import type { RendererLocation } from './renderer-location'
import { hardenWebContents, installSessionSecurity } from './security'

export interface MainWindowOptions {
  /** Absolute path of the built preload (out/preload/index.js). */
  preloadPath: string
  location: RendererLocation
  isTrustedUrl: (url: string) => boolean
  iconPath?: string
  onLoadError?: (err: unknown) => void
}

/** The one Parley window, locked down per Electron's security checklist. */
export function createMainWindow(opts: MainWindowOptions): BrowserWindow {
  const win = new BrowserWindow({
    width: 1100,
    height: 740,
    minWidth: 640,
    minHeight: 420,
    show: false,
    title: 'Parley',
    autoHideMenuBar: true,
    ...(opts.iconPath ? { icon: opts.iconPath } : {}),
    webPreferences: {
      preload: opts.preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: true,
    },
  })
  installSessionSecurity(win.webContents.session, opts.isTrustedUrl)
  hardenWebContents(win.webContents, opts.isTrustedUrl, (url) => shell.openExternal(url))
  win.once('ready-to-show', () => win.show())
  const loading = opts.location.kind === 'dev' ? win.loadURL(opts.location.url) : win.loadFile(opts.location.path)
  loading.catch((err: unknown) => opts.onLoadError?.(err))
  return win
}
