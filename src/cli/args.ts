import { parseArgs } from 'node:util'
import { z } from 'zod'
import { NameSchema } from '../shared/protocol/names'
import { BrokerSettingsSchema, DEFAULT_EMBEDDED_PORT, type BrokerSettings } from '../shared/schemas'
import { field, UsageError, type CliCommand, type OptionSpec } from './command'
import { COMMANDS } from './commands'

const COMMON = `Options:
  --user NAME      who you are (required by every command)
  --broker URL     mqtt://, mqtts://, ws://, wss:// URL, or "embedded" / "embedded:PORT" for the built-in broker.
                   Remembered in the data directory; needed the first time.
  --username U     broker user name            --password P   broker password (or PARLEY_BROKER_PASSWORD)
  --data-dir DIR   where settings and history live (default: PARLEY_DATA_DIR or the platform's data folder)
  --timeout S      seconds to wait (send, presence and others that talk to the broker: default 15; listen: none)
  --json           machine-readable output, one JSON object per line, where a command lists things
  --verbose        log connection details (listen: and what becomes of messages you sent) to stderr

Exit codes: 0 done, 1 failed (e.g. the broker refused the message: the reason is printed),
2 bad usage or input, 3 timed out (a sent message stays queued and goes out next time;
presence: could not reach the broker), 4 cannot open the data directory (another Parley uses it).`

/** The usage text, made from the commands' own lines. */
export function usage(commands: readonly CliCommand[] = COMMANDS): string {
  return `Usage: parley <command> [options]\n\nCommands:\n${commands.map((c) => '  ' + c.usage.replace(/\n/g, '\n  ')).join('\n')}\n\n${COMMON}`
}

export { UsageError }

export function parseBroker(value: string, username?: string, password?: string): BrokerSettings {
  const embedded = /^embedded(?::(\d+))?$/.exec(value)
  const candidate = embedded
    ? { kind: 'embedded', port: embedded[1] ? Number(embedded[1]) : DEFAULT_EMBEDDED_PORT, shareOnLan: false }
    : { kind: 'url', url: value, username, password }
  const r = BrokerSettingsSchema.safeParse(candidate)
  if (!r.success) throw new UsageError(r.error.issues[0]?.message ?? 'Invalid broker.')
  return r.data
}

const Keepalive = z.coerce.number().int().min(1).max(3600)

/** Options every command takes. */
const COMMON_OPTIONS: OptionSpec = {
  user: { type: 'string' },
  broker: { type: 'string' },
  username: { type: 'string' },
  password: { type: 'string' },
  'data-dir': { type: 'string' },
  timeout: { type: 'string' },
  json: { type: 'boolean' },
  verbose: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
}

/** Every command's options together (parseArgs must know them all); two commands may share one only with the same type. */
function allOptions(commands: readonly CliCommand[]): OptionSpec {
  const all: OptionSpec = { ...COMMON_OPTIONS }
  for (const c of commands) {
    for (const [name, spec] of Object.entries(c.options ?? {})) {
      const had = all[name]
      if (had && had.type !== spec.type) throw new Error(`CLI option --${name} is declared as ${had.type} and ${spec.type}`)
      all[name] = spec
    }
  }
  return all
}

export interface CliOptions {
  /** The command and what its `parse` made of the arguments. */
  command: CliCommand
  input: unknown
  /** Who runs it (--user). */
  user: string
  json: boolean
  broker: BrokerSettings | null
  dataDir: string | undefined
  timeoutSeconds: number | null
  verbose: boolean
  /** Hidden (tests): PARLEY_KEEPALIVE_SECONDS, the MQTT keepalive, so a killed process is noticed sooner. */
  keepaliveSeconds: number | null
}

export function parseCli(argv: string[], env: NodeJS.ProcessEnv = process.env, commands: readonly CliCommand[] = COMMANDS): CliOptions {
  let parsed
  try {
    parsed = parseArgs({ args: argv, allowPositionals: true, options: allOptions(commands) })
  } catch (err) {
    throw new UsageError((err as Error).message)
  }
  const { values, positionals } = parsed
  const v = values as Record<string, string | boolean | undefined>
  const [name, ...rest] = positionals
  if (v.help || !name) throw new UsageError('')
  const command = commands.find((c) => c.name === name)
  if (!command) throw new UsageError(`Unknown command "${name}".`)
  for (const [option, value] of Object.entries(v)) {
    if (value !== undefined && !(option in COMMON_OPTIONS) && !(option in (command.options ?? {}))) {
      throw new UsageError(`${name} does not take --${option}.`)
    }
  }
  const user = field(NameSchema, v.user, '--user')
  const input = command.parse({ user, args: rest, values: v })
  const keepalive = env.PARLEY_KEEPALIVE_SECONDS
  return {
    command: command as CliCommand,
    input,
    user,
    json: v.json === true,
    broker: v.broker === undefined ? null : parseBroker(String(v.broker), v.username as string | undefined, (v.password as string | undefined) ?? env.PARLEY_BROKER_PASSWORD),
    dataDir: v['data-dir'] as string | undefined,
    timeoutSeconds: v.timeout === undefined ? null : field(z.coerce.number().positive().max(86_400), v.timeout, '--timeout'),
    verbose: v.verbose === true,
    keepaliveSeconds: keepalive ? field(Keepalive, keepalive, 'PARLEY_KEEPALIVE_SECONDS') : null,
  }
}
