import { homedir } from 'node:os'
import { join, resolve } from 'node:path'

/**
 * Where Parley keeps settings.json, history.db and the embedded broker's data.
 * Order: an explicit --data-dir, then PARLEY_DATA_DIR, then the platform's usual
 * place (the Electron shell passes app.getPath('userData') as the flag instead).
 */
export function resolveDataDir(opts: { flag?: string; env?: NodeJS.ProcessEnv; platform?: NodeJS.Platform; home?: string } = {}): string {
  const env = opts.env ?? process.env
  if (opts.flag) return resolve(opts.flag)
  if (env.PARLEY_DATA_DIR) return resolve(env.PARLEY_DATA_DIR)
  const home = opts.home ?? homedir()
  switch (opts.platform ?? process.platform) {
    case 'darwin':
      return join(home, 'Library', 'Application Support', 'Parley')
    case 'win32':
      return join(env.APPDATA ?? join(home, 'AppData', 'Roaming'), 'Parley')
    default:
      return join(env.XDG_DATA_HOME || join(home, '.local', 'share'), 'parley')
  }
}
