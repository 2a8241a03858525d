import { describe, expect, it } from 'vitest'
import { parseCli, usage, UsageError } from '../../../src/cli/args'
import { defineCommand, type CliCommand } from '../../../src/cli/command'
import { COMMANDS } from '../../../src/cli/commands'

const ok = async () => 0
const probe = defineCommand({
  name: 'probe',
  usage: 'probe     --user NAME [--flag] [--level N]   a test command',
  options: { flag: { type: 'boolean' }, level: { type: 'string' } },
  parse: ({ args, values }) => ({ args, flag: values.flag === true, level: values.level ?? null }),
  run: ok,
})
const other = defineCommand({ name: 'other', usage: 'other     --user NAME --only-mine X', options: { 'only-mine': { type: 'string' } }, parse: () => ({}), run: ok })
const commands = [probe, other] as readonly CliCommand[]

describe('parley command line', () => {
  it('finds the command by its name and hands it its arguments and options', () => {
    const o = parseCli(['probe', 'a', 'b', '--user', 'alice', '--flag', '--level', '3', '--json'], {}, commands)
    expect(o.command.name).toBe('probe')
    expect(o.user).toBe('alice')
    expect(o.json).toBe(true)
    expect(o.input).toEqual({ args: ['a', 'b'], flag: true, level: '3' })
  })

  it("refuses another command's option, an unknown command, a bad --user and a missing one", () => {
    expect(() => parseCli(['probe', '--user', 'alice', '--only-mine', 'x'], {}, commands)).toThrow(new UsageError('probe does not take --only-mine.'))
    expect(() => parseCli(['nope', '--user', 'alice'], {}, commands)).toThrow(/Unknown command "nope"/)
    expect(() => parseCli(['probe', '--user', 'a/b'], {}, commands)).toThrow(/--user: A name cannot contain/)
    expect(() => parseCli(['probe'], {}, commands)).toThrow(/--user is required/)
    expect(() => parseCli(['probe', '--user', 'alice', '--bogus'], {}, commands)).toThrow(UsageError)
  })

  it('two commands cannot give one option two types', () => {
    const clash = defineCommand({ ...other, name: 'clash', options: { flag: { type: 'string' } } }) as CliCommand
    expect(() => parseCli(['probe', '--user', 'a'], {}, [probe as CliCommand, clash])).toThrow(/--flag is declared as boolean and string/)
  })

  it('the usage text lists every registered command (a command may show several forms), and the common options', () => {
    const text = usage()
    for (const c of COMMANDS) expect(text.split('\n').filter((l) => l.startsWith(`  ${c.name} `)).length, c.name).toBeGreaterThanOrEqual(1)
    expect(text).toMatch(/--data-dir DIR/)
    expect(text).toMatch(/Exit codes: 0 done/)
    expect(new Set(COMMANDS.map((c) => c.name)).size).toBe(COMMANDS.length)
  })

  it('every registered command parses with the options it declares (no clash among them)', () => {
    expect(() => parseCli(['listen', '--user', 'alice', '--count', '2'])).not.toThrow()
    expect(() => parseCli(['send', '--user', 'alice', '--count', '2', '--to', 'bob', 'hi'])).toThrow(/send does not take --count/)
  })
})
