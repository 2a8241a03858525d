import { z } from 'zod'

/** Longest user, group or region name Parley accepts (in characters). */
export const MAX_NAME_LENGTH = 64

/**
 * A name becomes one MQTT topic level, so anything that would split the level
 * (`/`), act as a wildcard (`+`, `#`), start a system topic (`$`), or that brokers
 * and shells treat badly (spaces, control characters, NUL) is refused — seed 000's
 * naming rule, tightened. Nothing is trimmed: the name is the topic level as is.
 */
export const NameSchema = z
  .string({ error: 'A name is required.' })
  .refine((s) => s.trim().length > 0, { error: 'A name is required.' })
  // Characters are code points: an emoji counts once, as a person would count it.
  .refine((s) => [...s].length <= MAX_NAME_LENGTH, { error: `A name can be at most ${MAX_NAME_LENGTH} characters.` })
  .refine((s) => !/[/+#]/.test(s), { error: 'A name cannot contain "/", "+" or "#".' })
  .refine((s) => !/\s/u.test(s), { error: 'A name cannot contain spaces.' })
  // eslint-disable-next-line no-control-regex
  .refine((s) => !/[\u0000-\u001f\u007f]/u.test(s), { error: 'A name cannot contain control characters.' })
  .refine((s) => !s.startsWith('$'), { error: 'A name cannot start with "$".' })

/** Returns a person-readable reason when `name` is not a valid name, otherwise null. */
export function nameProblem(name: unknown): string | null {
  const r = NameSchema.safeParse(name)
  return r.success ? null : (r.error.issues[0]?.message ?? 'Invalid name.')
}
