import { homedir } from 'node:os'
import { join, resolve } from 'node:path'

interface PlatformOptions {
  env?: NodeJS.ProcessEnv
  platform?: NodeJS.Platform
  home?: string
}

/** The platform's folder for per-user application data. */
function platformDataHome(opts: PlatformOptions): { base: string; appName: string } {
  const env = opts.env ?? process.env
  const home = opts.home ?? homedir()
  switch (opts.platform ?? process.platform) {
    case 'darwin':
      return { base: join(home, 'Library', 'Application Support'), appName: 'Parley' }
    case 'win32':
      return { base: env.APPDATA ?? join(home, 'AppData', 'Roaming'), appName: 'Parley' }
    default:
      return { base: env.XDG_DATA_HOME || join(home, '.local', 'share'), appName: 'parley' }
  }
}

/**
 * Where Parley keeps settings.json and history.db. Order: an explicit
 * --data-dir, then PARLEY_DATA_DIR, then the platform's usual place (the
 * Electron shell passes app.getPath('userData') as the flag instead).
 */
export function resolveDataDir(opts: PlatformOptions & { flag?: string } = {}): string {
  const env = opts.env ?? process.env
  if (opts.flag) return resolve(opts.flag)
  if (env.PARLEY_DATA_DIR) return resolve(env.PARLEY_DATA_DIR)
  const { base, appName } = platformDataHome(opts)
  return join(base, appName)
}

/**
 * Where the built-in broker on `port` keeps its sessions and queues. It is one
 * folder per machine and port, not per data directory: whichever Parley hosts
 * the broker — the first to start, or the one that takes over when it quits —
 * must find the queues of everyone who uses it. PARLEY_BROKER_DIR moves it.
 */
export function resolveBrokerDir(port: number, opts: PlatformOptions = {}): string {
  const env = opts.env ?? process.env
  if (env.PARLEY_BROKER_DIR) return join(resolve(env.PARLEY_BROKER_DIR), String(port))
  return join(platformDataHome(opts).base, 'parley-broker', String(port))
}
