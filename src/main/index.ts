/**
 * Parley's Electron shell: app lifecycle, the window, the tray and the IPC wiring of
 * one ParleyCore. Everything that is not about Electron lives in ./core.
 */
import { join } from 'node:path'
import { app, dialog, ipcMain, type BrowserWindow } from 'electron'
import { ParleyCore } from './core/engine'
import { createConsoleLogger, logUnexpected } from './core/kernel/log'
import { shellDataDir } from './data-dir'
import { chooseDataDirAndRelaunch } from './data-dir-switch'
import { wireIpc } from './ipc'
import { createMessageNotifier } from './notifications'
import { rendererLocation, trustedRendererUrl } from './renderer-location'
import { createTray, type ParleyTray } from './tray'
import { UnreadTally, conversationUnread } from './unread'
import { createMainWindow } from './window'

const CLOSE_TIMEOUT_MS = 5_000

// Built layout: out/main/index.js, out/preload/index.js, out/renderer/index.html; resources/ beside out/.
const PRELOAD_PATH = join(__dirname, '..', 'preload', 'index.js')
const RESOURCES_DIR = join(__dirname, '..', '..', 'resources')
const ICON_PATH = join(RESOURCES_DIR, 'icon.png')
const TRAY_ICON_PATH = join(RESOURCES_DIR, 'tray.png')

const log = createConsoleLogger()

app.enableSandbox()

if (!app.requestSingleInstanceLock()) {
  // Another Parley owns this profile; it was told (second-instance) and shows its window.
  app.quit()
} else {
  runShell()
}

function runShell(): void {
  const location = rendererLocation({ outMainDir: __dirname, env: process.env, isPackaged: app.isPackaged })
  const isTrustedUrl = trustedRendererUrl(location)
  let core: ParleyCore | null = null
  let win: BrowserWindow | null = null
  let tray: ParleyTray | null = null
  let quitting = false
  let closing: Promise<void> | null = null
  let coreClosed = false

  const openWindow = (): BrowserWindow => {
    const w = createMainWindow({
      preloadPath: PRELOAD_PATH,
      location,
      isTrustedUrl,
      iconPath: ICON_PATH,
      onLoadError: (err) => log.error('window: page did not load', { error: String(err) }),
    })
    w.on('close', (event) => {
      // With a tray, closing the window keeps Parley running in the background.
      if (tray && !quitting) {
        event.preventDefault()
        w.hide()
      }
    })
    w.on('closed', () => {
      if (win === w) win = null
    })
    return w
  }

  const showWindow = (): void => {
    if (!app.isReady() || !core) return
    if (!win || win.isDestroyed()) win = openWindow()
    if (win.isMinimized()) win.restore()
    win.show()
    win.focus()
  }

  const closeCore = async (): Promise<void> => {
    const c = core
    if (!c) return
    const timeout = new Promise<void>((resolve) => setTimeout(resolve, CLOSE_TIMEOUT_MS).unref())
    await Promise.race([c.close().catch((err: unknown) => log.error('core: close failed', { error: String(err) })), timeout])
  }

  app.on('second-instance', () => showWindow())
  app.on('activate', () => showWindow())

  // Any other web contents (there should be none) gets no windows and no webviews.
  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-attach-webview', (event) => event.preventDefault())
    contents.setWindowOpenHandler(() => ({ action: 'deny' }))
  })

  app.on('before-quit', (event) => {
    quitting = true
    if (coreClosed || !core) return
    event.preventDefault()
    if (!closing) {
      closing = closeCore().finally(() => {
        coreClosed = true
        tray?.destroy()
        tray = null
        app.quit()
      })
    }
  })

  app.on('window-all-closed', () => {
    if (!tray && process.platform !== 'darwin') app.quit()
  })

  const start = async (): Promise<void> => {
    if (process.platform === 'win32') app.setAppUserModelId('dev.parley.app')
    const dataDir = shellDataDir({ argv: process.argv, env: process.env, userData: app.getPath('userData') })
    log.info('shell: starting', { dataDir })
    try {
      core = await ParleyCore.open({
        dataDir,
        log,
        dataDirSwitch: {
          howTo: 'Start Parley with --data-dir DIR (or set PARLEY_DATA_DIR) to use another data directory.',
          relaunch: () => chooseDataDirAndRelaunch({ currentDir: dataDir, window: () => win, argv: process.argv }),
        },
      })
    } catch (err) {
      log.error('core: could not open', { dataDir, error: String(err) })
      dialog.showErrorBox('Parley could not start', `${err instanceof Error ? err.message : String(err)}\n\nData directory: ${dataDir}`)
      app.exit(1)
      return
    }

    wireIpc(
      ipcMain,
      core,
      () => win,
      isTrustedUrl,
      ({ url }) => log.warn('ipc: refused a call from an untrusted sender', { url }),
      logUnexpected(log),
    )

    const notify = createMessageNotifier({
      isWindowFocused: () => Boolean(win && !win.isDestroyed() && win.isVisible() && win.isFocused()),
      showWindow,
      iconPath: ICON_PATH,
    })
    core.onEvent(notify)
    // Which groups are muted, for the notices: events keep it current from here.
    core.services.groups
      .list()
      .then((groups) => groups.forEach((g) => notify('group', g)))
      .catch((err: Error) => log.warn('notifications: could not read the groups', { error: err.message }))

    try {
      tray = createTray(TRAY_ICON_PATH, { show: showWindow, quit: () => app.quit() })
    } catch (err) {
      log.warn('tray: not available', { error: String(err) })
    }
    const unread = new UnreadTally()
    core.onEvent((event, payload) => {
      if (event !== 'conversation') return
      const c = conversationUnread(payload)
      if (c) tray?.setUnread(unread.set(c.id, c.unread))
    })
    core.services.conversations
      .list()
      .then((list) => {
        for (const c of list) unread.set(c.id, c.unread)
        tray?.setUnread(unread.total)
      })
      .catch((err: unknown) => log.warn('tray: could not count unread messages', { error: String(err) }))

    win = openWindow()
  }

  app
    .whenReady()
    .then(start)
    .catch((err: unknown) => {
      log.error('shell: start failed', { error: String(err) })
      app.exit(1)
    })
}
