import type { ParseArgsConfig } from 'node:util'
import { z } from 'zod'
import { NameSchema } from '../shared/protocol/names'
import type { CommandContext } from './common'

export type OptionSpec = NonNullable<ParseArgsConfig['options']>

export class UsageError extends Error {}

/** What a command's `parse` gets: the --user it runs as, its positional arguments and its options. */
export interface CommandInput {
  user: string
  args: string[]
  values: Record<string, string | boolean | undefined>
}

/**
 * One `parley` command: its usage text, its own options, how it reads its
 * arguments (throwing UsageError) and what it does. A command group is a file in
 * commands/ exporting a list of these; commands/index.ts lists the groups.
 */
export interface CliCommand<C = unknown> {
  name: string
  /** Lines for the usage text; the first starts with the command's name. */
  usage: string
  /** Options beyond the common ones (--user, --broker, --data-dir, --timeout, --json, --verbose...). */
  options?: OptionSpec
  parse(input: CommandInput): C
  run(ctx: CommandContext, command: C): Promise<number>
}

/** Keeps the parsed type of a command tied to its `run`. */
export function defineCommand<C>(c: CliCommand<C>): CliCommand<C> {
  return c
}

/** Validates one argument with `schema`, as a usage error naming `what`. */
export function field<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  if (value === undefined) throw new UsageError(`${what} is required.`)
  const r = schema.safeParse(value)
  if (!r.success) throw new UsageError(`${what}: ${r.error.issues[0]?.message ?? 'invalid'}`)
  return r.data
}

/** Exactly `n` positional arguments, or a usage error saying `hint`. */
export function positionals(args: string[], n: number, hint: string): string[] {
  if (args.length !== n) throw new UsageError(hint)
  return args
}

/** The one user name `cmd` takes (parley CMD NAME --user YOU), validated. */
export function oneName(cmd: string, args: string[]): string {
  return field(NameSchema, positionals(args, 1, `${cmd} takes exactly one user name: parley ${cmd} NAME --user YOU.`)[0], `${cmd} NAME`)
}

/** Nothing but options: a usage error for any positional argument. */
export function noArgs(cmd: string, args: string[]): string[] {
  return positionals(args, 0, `${cmd} takes no arguments: parley ${cmd} --user YOU.`)
}

export const Count = z.coerce.number().int().positive()
