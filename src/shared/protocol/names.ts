import { z } from 'zod'

/** Longest user, group or region name Parley accepts (in characters). */
export const MAX_NAME_LENGTH = 64

/** Reserved: regional broadcasts live under `R/System/{region}`, where no user's `R/{user}` may meet them. */
export const SYSTEM_NAME = 'System'

/**
 * Characters that are invisible or change how text around them is shown: controls
 * (C0, DEL, C1), format characters (bidi overrides, zero-width joiners and spaces,
 * the BOM) and line/paragraph separators. In a name they make "‮evil" look like
 * "live" or two different names look the same, and some brokers drop the
 * connection on a topic that contains one.
 */
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u
/**
 * The zero-width joiner is a format character too, but between two emoji it is what
 * builds 👩‍💻 or 🏳️‍🌈: allowed there (after an emoji and its optional variation
 * selector or skin tone), nowhere else.
 */
const EMOJI_JOINER = /(?<=\p{Extended_Pictographic}(?:\u{FE0F}|\p{Emoji_Modifier})?)\u200D(?=\p{Extended_Pictographic})/gu

/**
 * A name becomes one MQTT topic level, so anything that would split the level
 * (`/`), act as a wildcard (`+`, `#`), start a system topic (`$`), or that brokers
 * and shells treat badly (spaces, invisible characters) is refused — seed 000's
 * naming rule, tightened. Nothing is trimmed or normalised: the name is the topic
 * level as is, and a name that is not in Unicode NFC is refused, so that "é" typed
 * two ways cannot be two people.
 */
export const NameSchema = z
  .string({ error: 'A name is required.' })
  .refine((s) => s.trim().length > 0, { error: 'A name is required.' })
  // Characters are code points: an emoji counts once, as a person would count it.
  .refine((s) => [...s].length <= MAX_NAME_LENGTH, { error: `A name can be at most ${MAX_NAME_LENGTH} characters.` })
  .refine((s) => !/[/+#]/.test(s), { error: 'A name cannot contain "/", "+" or "#".' })
  .refine((s) => !/\s/u.test(s), { error: 'A name cannot contain spaces.' })
  .refine((s) => !INVISIBLE.test(s.replace(EMOJI_JOINER, '')), {
    error: 'A name cannot contain control or invisible characters (such as direction marks or zero-width spaces).',
  })
  // A lone surrogate is not a character: UTF-8 cannot carry it (MQTT forbids it in topics) and it would become U+FFFD.
  .refine((s) => !/\p{Cs}/u.test(s), { error: 'A name cannot contain broken characters (unpaired UTF-16 surrogates).' })
  .refine((s) => s.normalize('NFC') === s, {
    error: 'A name must be in composed Unicode form (NFC): type accented letters as single characters.',
  })
  .refine((s) => !s.startsWith('$'), { error: 'A name cannot start with "$".' })
  .refine((s) => s !== SYSTEM_NAME, { error: `"${SYSTEM_NAME}" is reserved (regional broadcasts use it).` })
  // Group ids are topic levels next to user names (`R/{group}` beside `R/{user}`): a user cannot take their shape.
  .refine((s) => !/^grp_/i.test(s), { error: 'A name cannot start with "grp_" (that is how group ids start).' })

/** Returns a person-readable reason when `name` is not a valid name, otherwise null. */
export function nameProblem(name: unknown): string | null {
  const r = NameSchema.safeParse(name)
  return r.success ? null : (r.error.issues[0]?.message ?? 'Invalid name.')
}

/**
 * Free text that other people set and Parley shows next to names: a display name,
 * a status line, a friend request's note. Spaces are fine; what could disguise it
 * (direction overrides, zero-width or control characters, broken surrogates) is
 * refused, as in names.
 */
export function shownTextSchema(what: string, maxChars: number) {
  return z
    .string()
    .refine((s) => s.trim().length > 0, { error: `${what} cannot be empty.` })
    .refine((s) => [...s].length <= maxChars, { error: `${what} can be at most ${maxChars} characters.` })
    .refine((s) => !INVISIBLE.test(s.replace(EMOJI_JOINER, '')), {
      error: `${what} cannot contain control or invisible characters (such as direction marks or zero-width spaces).`,
    })
    .refine((s) => !/\p{Cs}/u.test(s), { error: `${what} cannot contain broken characters (unpaired UTF-16 surrogates).` })
}

export const DisplayNameSchema = shownTextSchema('A display name', MAX_NAME_LENGTH)
export const StatusLineSchema = shownTextSchema('A status line', 140)
export const RequestNoteSchema = shownTextSchema('A note', 280)
