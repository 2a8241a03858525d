/** The engine logs through this, so hosts decide where lines go (console, file, nowhere). */
export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void
  info(msg: string, fields?: Record<string, unknown>): void
  warn(msg: string, fields?: Record<string, unknown>): void
  error(msg: string, fields?: Record<string, unknown>): void
}

type Level = keyof Logger
const ORDER: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 }

/** Writes one JSON line per entry to stderr, so stdout stays free for a CLI's output. */
export function createConsoleLogger(minLevel: Level = (process.env.PARLEY_LOG_LEVEL as Level) || 'info'): Logger {
  const min = ORDER[minLevel] ?? ORDER.info
  const write = (level: Level) => (msg: string, fields?: Record<string, unknown>) => {
    if (ORDER[level] < min) return
    process.stderr.write(JSON.stringify({ t: new Date().toISOString(), level, msg, ...fields }) + '\n')
  }
  return { debug: write('debug'), info: write('info'), warn: write('warn'), error: write('error') }
}

export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} }

/**
 * Where a call's unexpected error goes: the log gets the detail (message, stack) under
 * the code the person was shown, so the two can be matched.
 */
export function logUnexpected(log: Logger) {
  return (err: unknown, detail: { code: string; service: string; method: string }): void => {
    const e = err instanceof Error ? { error: err.message, stack: err.stack } : { error: String(err) }
    log.error('a call failed unexpectedly', { ...detail, ...e })
  }
}
