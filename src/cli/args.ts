import { parseArgs } from 'node:util'
import { z } from 'zod'
import { NameSchema } from '../shared/protocol/names'
import { BrokerSettingsSchema, DEFAULT_EMBEDDED_PORT, MessageTextSchema, type BrokerSettings } from '../shared/schemas'

export const USAGE = `Usage: parley <command> [options]

Commands:
  send      --user NAME --to NAME [--broker URL] "text"   send one message (waits until the broker has it)
  listen    --user NAME [--broker URL] [--count N] [--timeout S]
                                                         print each received message as one JSON line;
                                                         while it runs, NAME shows as online to others
  history   --user NAME --with NAME [--limit N] [--json] print the stored conversation, oldest first, with
                                                         what became of each message you sent: (not sent yet),
                                                         (not sent: reason), (delivered), (read); --json lines
                                                         carry "status" and, when it failed, "error"
  presence  NAME --user NAME [--broker URL] [--json]     print NAME's presence: online, away, dnd, or
                                                         "offline, last seen TIME" / "offline, never seen";
                                                         --json prints {"user","state","lastSeen"} (ISO time or null)

Options:
  --broker URL     mqtt://, mqtts://, ws://, wss:// URL, or "embedded" / "embedded:PORT" for the built-in broker.
                   Remembered in the data directory; needed the first time.
  --username U     broker user name            --password P   broker password (or PARLEY_BROKER_PASSWORD)
  --data-dir DIR   where settings and history live (default: PARLEY_DATA_DIR or the platform's data folder)
  --timeout S      seconds to wait (send, presence: default 15; listen: none)
  --verbose        log connection details (listen: and what becomes of messages you sent) to stderr

Exit codes: 0 done, 1 failed (e.g. the broker refused the message: the reason is printed),
2 bad usage or input, 3 timed out (a sent message stays queued and goes out next time;
presence: could not reach the broker), 4 cannot open the data directory (another Parley uses it).`

export class UsageError extends Error {}

export type Command =
  | { cmd: 'send'; user: string; to: string; text: string }
  | { cmd: 'listen'; user: string; count: number | null }
  | { cmd: 'history'; user: string; with: string; limit: number; json: boolean }
  | { cmd: 'presence'; user: string; of: string; json: boolean }

export interface CliOptions {
  command: Command
  broker: BrokerSettings | null
  dataDir: string | undefined
  timeoutSeconds: number | null
  verbose: boolean
  /** Hidden (tests): PARLEY_KEEPALIVE_SECONDS, the MQTT keepalive, so a killed process is noticed sooner. */
  keepaliveSeconds: number | null
}

export function parseBroker(value: string, username?: string, password?: string): BrokerSettings {
  const embedded = /^embedded(?::(\d+))?$/.exec(value)
  const candidate = embedded
    ? { kind: 'embedded', port: embedded[1] ? Number(embedded[1]) : DEFAULT_EMBEDDED_PORT, shareOnLan: false }
    : { kind: 'url', url: value, username, password }
  const r = BrokerSettingsSchema.safeParse(candidate)
  if (!r.success) throw new UsageError(r.error.issues[0]?.message ?? 'Invalid broker.')
  return r.data
}

function field<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  if (value === undefined) throw new UsageError(`${what} is required.`)
  const r = schema.safeParse(value)
  if (!r.success) throw new UsageError(`${what}: ${r.error.issues[0]?.message ?? 'invalid'}`)
  return r.data
}

const Count = z.coerce.number().int().positive()
const Keepalive = z.coerce.number().int().min(1).max(3600)

export function parseCli(argv: string[], env: NodeJS.ProcessEnv = process.env): CliOptions {
  let parsed
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        user: { type: 'string' },
        to: { type: 'string' },
        with: { type: 'string' },
        broker: { type: 'string' },
        username: { type: 'string' },
        password: { type: 'string' },
        'data-dir': { type: 'string' },
        timeout: { type: 'string' },
        count: { type: 'string' },
        limit: { type: 'string' },
        json: { type: 'boolean' },
        verbose: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    })
  } catch (err) {
    throw new UsageError((err as Error).message)
  }
  const { values: v, positionals } = parsed
  const [name, ...rest] = positionals
  if (v.help || !name) throw new UsageError('')
  const user = field(NameSchema, v.user, '--user')
  let command: Command
  switch (name) {
    case 'send':
      if (rest.length !== 1) throw new UsageError('send takes exactly one message text (quote it).')
      command = { cmd: 'send', user, to: field(NameSchema, v.to, '--to'), text: field(MessageTextSchema, rest[0], 'message') }
      break
    case 'listen':
      command = { cmd: 'listen', user, count: v.count === undefined ? null : field(Count, v.count, '--count') }
      break
    case 'history':
      command = {
        cmd: 'history',
        user,
        with: field(NameSchema, v.with, '--with'),
        limit: v.limit === undefined ? 50 : field(Count.max(100_000), v.limit, '--limit'),
        json: v.json ?? false,
      }
      break
    case 'presence':
      if (rest.length !== 1) throw new UsageError('presence takes exactly one user name: parley presence NAME --user YOU.')
      command = { cmd: 'presence', user, of: field(NameSchema, rest[0], 'presence NAME'), json: v.json ?? false }
      break
    default:
      throw new UsageError(`Unknown command "${name}".`)
  }
  const keepalive = env.PARLEY_KEEPALIVE_SECONDS
  return {
    command,
    broker: v.broker === undefined ? null : parseBroker(v.broker, v.username, v.password ?? env.PARLEY_BROKER_PASSWORD),
    dataDir: v['data-dir'],
    timeoutSeconds: v.timeout === undefined ? null : field(z.coerce.number().positive().max(86_400), v.timeout, '--timeout'),
    verbose: v.verbose ?? false,
    keepaliveSeconds: keepalive ? field(Keepalive, keepalive, 'PARLEY_KEEPALIVE_SECONDS') : null,
  }
}
