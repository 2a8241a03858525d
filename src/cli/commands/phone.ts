import { PhoneInputSchema, type ImportResult, type MyPhone } from '../../shared/contract'
import { defineCommand, field, UsageError, type CliCommand } from '../command'
import { ensureAccount, EXIT, online, readFileArg, requireOwner, type CommandContext } from '../common'

/** Largest contacts file `phone find` reads (the engine's own limit). */
const MAX_FILE_BYTES = 5 * 1024 * 1024

type PhoneCommand =
  | { kind: 'show' }
  | { kind: 'register'; number: string; country: string | undefined }
  | { kind: 'unregister' }
  | { kind: 'find'; file: string; country: string | undefined }

function myPhoneText(p: MyPhone): string {
  return p.number === null ? 'no phone number registered' : `${p.number} (id ${p.id})`
}

function readContactsFile(path: string): string {
  return readFileArg(path, MAX_FILE_BYTES).toString('utf8')
}

function resultText(r: ImportResult): string[] {
  const width = Math.max(0, ...r.matches.map((m) => m.number.length))
  const lines = r.matches.map((m) => `${m.number.padEnd(width)}  ${m.user ? `→ ${m.user}` : 'not on Parley'}${m.name ? `  (${m.name})` : ''}`)
  const found = r.matches.filter((m) => m.user).length
  lines.push(`${found} of ${r.matches.length} numbers are on Parley; ${r.invalid} ${r.invalid === 1 ? 'entry was' : 'entries were'} not valid phone numbers.`)
  return lines
}

/**
 * Registers (an invalid number is refused before anything waits for the broker)
 * or unregisters, then waits until the broker has it: 0, or 1 failed, 3 not
 * reachable (kept here, sent on the next connection).
 */
async function publishChange(ctx: CommandContext, c: Extract<PhoneCommand, { kind: 'register' | 'unregister' }>): Promise<number> {
  const { core, opts, io } = ctx
  const phone = core.services.phone
  const change = () => (c.kind === 'register' ? phone.register({ number: c.number, ...(c.country ? { country: c.country } : {}) }) : phone.unregister())
  await ensureAccount(ctx)
  let p = await change()
  const failed = await online(ctx)
  if (failed !== null) {
    io.err(`Saved in this history; the broker is told the next time Parley runs for ${opts.user}.`)
    return failed
  }
  // Both are idempotent: done again now that the connection is up, each waits for the broker's answer.
  p = await change()
  if (c.kind === 'register' && !p.published) {
    io.err(`parley: The broker does not have your number (${core.connection.detail ?? core.connection.state}).`)
    return EXIT.failed
  }
  io.out(opts.json ? JSON.stringify(p) : c.kind === 'register' ? `registered ${myPhoneText(p)}` : 'no phone number registered')
  return EXIT.ok
}

async function phone(ctx: CommandContext, c: PhoneCommand): Promise<number> {
  const { core, opts, io } = ctx
  switch (c.kind) {
    case 'show': {
      requireOwner(core, opts.user)
      const p = await core.services.phone.mine()
      io.out(opts.json ? JSON.stringify(p) : myPhoneText(p))
      return EXIT.ok
    }
    case 'register':
    case 'unregister':
      return publishChange(ctx, c)
    case 'find': {
      const text = readContactsFile(c.file)
      const failed = await online(ctx)
      if (failed !== null) return failed
      const r = await core.services.phone.discover({ text, ...(c.country ? { country: c.country } : {}) })
      if (opts.json) io.out(JSON.stringify(r))
      else for (const line of resultText(r)) io.out(line)
      return EXIT.ok
    }
  }
}

export const PHONE_COMMANDS: readonly CliCommand[] = [
  defineCommand<PhoneCommand>({
    name: 'phone',
    usage: `phone     --user NAME                                print my registered phone number
phone     register NUMBER --user NAME [--country CC]   let people who have NUMBER find me (retained on R/$Phone/{id},
                                                       id = salted SHA-256); --country for numbers without +
phone     unregister --user NAME                       remove my number from the broker
phone     find FILE --user NAME [--country CC] [--json]
                                                       which numbers of a .vcf or .csv file are on Parley: one line per
                                                       number; --json prints {"matches":[{number,name,user}],"invalid"}`,
    options: { country: { type: 'string' } },
    parse: ({ args, values }) => {
      const [sub, ...rest] = args
      const country = values.country === undefined ? undefined : field(PhoneInputSchema.shape.country, values.country, '--country')
      switch (sub) {
        case undefined:
          return { kind: 'show' }
        case 'register': {
          if (rest.length !== 1) throw new UsageError('phone register takes one number: parley phone register +48555555555 --user YOU.')
          return { kind: 'register', number: field(PhoneInputSchema.shape.number, rest[0], 'phone register NUMBER'), country }
        }
        case 'unregister':
          if (rest.length) throw new UsageError('phone unregister takes no arguments.')
          return { kind: 'unregister' }
        case 'find':
          if (rest.length !== 1) throw new UsageError('phone find takes one file: parley phone find contacts.vcf --user YOU.')
          return { kind: 'find', file: rest[0]!, country }
        default:
          throw new UsageError(`Unknown phone command "${sub}": use register, unregister or find.`)
      }
    },
    run: phone,
  }),
]
