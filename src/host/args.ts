/** Command-line arguments of the web host (src/host/main.ts). */
export interface HostArgs {
  dataDir?: string
  port: number
  help: boolean
}

export const HOST_USAGE = `Usage: node out/main/host.js [--data-dir DIR] [--port N]

Runs Parley's engine and serves its interface to a browser on 127.0.0.1.
  --data-dir DIR  where settings.json and history.db live (default: PARLEY_DATA_DIR
                  or the usual per-user data directory)
  --port N        port to listen on; 0 picks a free one (default: PARLEY_WEB_PORT or 0)
`

export class UsageError extends Error {}

function parsePort(value: string, from: string): number {
  if (!/^\d{1,5}$/.test(value) || Number(value) > 65535) throw new UsageError(`${from} must be a port number from 0 to 65535, not "${value}".`)
  return Number(value)
}

export function parseHostArgs(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): HostArgs {
  const out: HostArgs = { port: env.PARLEY_WEB_PORT ? parsePort(env.PARLEY_WEB_PORT, 'PARLEY_WEB_PORT') : 0, help: false }
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!
    const eq = arg.indexOf('=')
    const name = arg.startsWith('--') && eq > 0 ? arg.slice(0, eq) : arg
    const inline = arg.startsWith('--') && eq > 0 ? arg.slice(eq + 1) : undefined
    const value = (): string => {
      if (inline !== undefined) return inline
      const next = argv[++i]
      if (next === undefined || next.startsWith('--')) throw new UsageError(`${name} needs a value.`)
      return next
    }
    switch (name) {
      case '--data-dir': {
        const v = value()
        if (!v) throw new UsageError('--data-dir needs a value.')
        out.dataDir = v
        break
      }
      case '--port':
        out.port = parsePort(value(), '--port')
        break
      case '-h':
      case '--help':
        out.help = true
        break
      default:
        throw new UsageError(`Unknown option ${arg}.`)
    }
  }
  return out
}
