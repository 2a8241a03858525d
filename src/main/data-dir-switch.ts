/**
 * "Use another data directory" in the desktop app: ask for a folder, then restart
 * Parley on it. One Parley runs at a time (single-instance lock), so this is a
 * switch, not a second window; the new instance starts once this one has closed
 * its engine (before-quit).
 */
import { resolve } from 'node:path'
import { app, dialog, type BrowserWindow } from 'electron'

/** `argv` (without the executable) with its --data-dir replaced by `dir`. */
export function argsWithDataDir(argv: readonly string[], dir: string): string[] {
  const out: string[] = []
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!
    if (arg === '--data-dir') {
      const next = argv[i + 1]
      if (next !== undefined && !next.startsWith('--')) i++ // its value goes too
      continue
    }
    if (arg.startsWith('--data-dir=')) continue
    out.push(arg)
  }
  out.push(`--data-dir=${dir}`)
  return out
}

export interface DataDirSwitchDeps {
  /** The data directory in use. */
  currentDir: string
  /** The window the folder dialog belongs to. */
  window: () => BrowserWindow | null
  /** process.argv: the relaunch keeps every other argument. */
  argv: readonly string[]
}

/** Resolves false when the person cancelled (or chose the directory in use); true when Parley is about to restart. */
export async function chooseDataDirAndRelaunch(deps: DataDirSwitchDeps): Promise<boolean> {
  const options = {
    title: 'Choose a data directory for Parley',
    buttonLabel: 'Use this folder',
    defaultPath: deps.currentDir,
    properties: ['openDirectory' as const, 'createDirectory' as const],
  }
  const win = deps.window()
  const choice = win ? await dialog.showOpenDialog(win, options) : await dialog.showOpenDialog(options)
  const dir = choice.filePaths[0]
  if (choice.canceled || !dir || resolve(dir) === resolve(deps.currentDir)) return false
  app.relaunch({ args: argsWithDataDir(deps.argv.slice(1), resolve(dir)) })
  // After this call has answered the window; before-quit closes the engine first.
  setTimeout(() => app.quit(), 100)
  return true
}
