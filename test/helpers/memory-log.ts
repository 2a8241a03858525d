import type { Logger } from '../../src/main/core/kernel/log'

/** Keeps an engine's log lines in memory, so tests can assert on them and print them on failure. */
export class MemoryLog implements Logger {
  readonly lines: string[] = []
  constructor(private readonly name: string) {}
  private add(level: string, msg: string, fields?: Record<string, unknown>) {
    this.lines.push(`[${this.name}] ${level} ${msg}${fields ? ' ' + JSON.stringify(fields) : ''}`)
    if (this.lines.length > 1000) this.lines.shift()
  }
  debug(msg: string, fields?: Record<string, unknown>) {
    this.add('debug', msg, fields)
  }
  info(msg: string, fields?: Record<string, unknown>) {
    this.add('info', msg, fields)
  }
  warn(msg: string, fields?: Record<string, unknown>) {
    this.add('warn', msg, fields)
  }
  error(msg: string, fields?: Record<string, unknown>) {
    this.add('error', msg, fields)
  }
}
