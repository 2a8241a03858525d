import { describe, expect, it } from 'vitest'
import { MAX_NAME_LENGTH, NameSchema, nameProblem } from '../../../../src/shared/protocol/names'

describe('names', () => {
  const refused: [string, unknown, RegExp][] = [
    ['a slash', 'a/b', /cannot contain "\/", "\+" or "#"/],
    ['a plus', 'a+b', /cannot contain "\/", "\+" or "#"/],
    ['a hash', 'a#b', /cannot contain "\/", "\+" or "#"/],
    ['a lone wildcard', '#', /cannot contain/],
    ['a space', 'bob smith', /cannot contain spaces/],
    ['a tab', 'bob\tsmith', /cannot contain spaces/],
    ['a newline', 'bob\nsmith', /cannot contain spaces/],
    ['a NUL', 'bob\u0000smith', /control or invisible characters/],
    ['a DEL', 'bob\u007fsmith', /control or invisible characters/],
    ['a leading $', '$SYS', /cannot start with "\$"/],
    ['an empty name', '', /required/],
    [`${MAX_NAME_LENGTH + 1} emoji`, '🦊'.repeat(MAX_NAME_LENGTH + 1), /at most 64 characters/],
    ['only white space', '   ', /required/],
    [`${MAX_NAME_LENGTH + 1} characters`, 'a'.repeat(MAX_NAME_LENGTH + 1), /at most 64 characters/],
    ['a number', 42, /required/],
    ['undefined', undefined, /required/],
  ]

  it.each(refused)('refuses a name with %s, saying why', (_what, name, message) => {
    const problem = nameProblem(name)
    expect(problem).toMatch(message)
    // Person-readable: a sentence, not a zod code dump.
    expect(problem).toMatch(/^A name /)
    expect(NameSchema.safeParse(name).success).toBe(false)
  })

  it.each(['alice', 'Zoë', '李雷', 'bob_42', 'a.b-c', 'x$', 'a'.repeat(MAX_NAME_LENGTH), '🦊'.repeat(MAX_NAME_LENGTH), 'GID_PARLEY'])('accepts %s', (name) => {
    expect(nameProblem(name)).toBeNull()
    expect(NameSchema.parse(name)).toBe(name)
  })

  it('64 characters is the limit, 65 is over it', () => {
    expect(nameProblem('z'.repeat(64))).toBeNull()
    expect(nameProblem('z'.repeat(65))).not.toBeNull()
  })
})

describe('names: invisible, control and decomposed characters', () => {
  const INVISIBLE = /control or invisible characters/
  it.each([
    ['C0 U+0001', 'a\u0001b', INVISIBLE],
    ['C0 U+001B (ESC)', 'a\u001bb', INVISIBLE],
    ['C0 U+001F', 'a\u001fb', INVISIBLE],
    ['DEL U+007F', 'a\u007fb', INVISIBLE],
    ['C1 U+0085 (NEL)', 'a\u0085b', INVISIBLE],
    ['C1 U+009F', 'a\u009fb', INVISIBLE],
    ['U+202E (right-to-left override)', '\u202eevil', INVISIBLE],
    ['U+200B (zero-width space)', 'bob\u200b', INVISIBLE],
    ['U+200D (zero-width joiner)', 'b\u200dob', INVISIBLE],
    ['U+FEFF (BOM)', '\ufeffbob', /cannot contain (spaces|control or invisible characters)/],
    ['U+2028 (line separator)', 'a\u2028b', /cannot contain (spaces|control or invisible characters)/],
    ['U+2029 (paragraph separator)', 'a\u2029b', /cannot contain (spaces|control or invisible characters)/],
    ['U+00AD (soft hyphen)', 'bo\u00adb', INVISIBLE],
    ['U+2066 (left-to-right isolate)', 'a\u2066b', INVISIBLE],
  ])('refuses %s', (_what, name, message) => {
    expect(nameProblem(name)).toMatch(message)
    expect(nameProblem(name)).toMatch(/^A name /)
  })

  it('refuses the decomposed (NFD) "e\u0301" but accepts the composed (NFC) "é"', () => {
    expect('e\u0301'.normalize('NFC')).toBe('\u00e9')
    expect(nameProblem('e\u0301')).toMatch(/composed Unicode form \(NFC\)/)
    expect(nameProblem('Zoe\u0308')).toMatch(/NFC/)
    expect(nameProblem('\u00e9')).toBeNull()
    expect(nameProblem('Zo\u00eb')).toBeNull()
  })

  it.each(['🦊', '😀', '👍🏽', '❤️', '🇫🇷', '李雷', 'Дмитрий', 'bob_1', 'ÅSA-ø', 'علي'])('still accepts %s', (name) => {
    expect(nameProblem(name)).toBeNull()
  })

  // A JS string may hold a lone surrogate (from IPC or the CLI), but an MQTT topic is
  // UTF-8: MQTT.js and SQLite write it as U+FFFD, so "a\uD800" would publish to, and be
  // stored as, the different name "a\uFFFD" (MQTT 3.1.1 §1.5.3 forbids U+D800–U+DFFF).
  it('refuses a lone surrogate: it cannot be a UTF-8 topic level', () => {
    expect(Buffer.from('a\ud800').toString()).toBe('a\ufffd')
    expect(nameProblem('a\ud800')).not.toBeNull()
    expect(nameProblem('\udfffbob')).not.toBeNull()
  })

  it('accepts the zero-width joiner inside an emoji sequence, and nowhere else', () => {
    for (const emoji of ['👩\u200D💻', '🏳️\u200D🌈', '👩🏽\u200D💻', 'ana👩\u200D💻']) expect(nameProblem(emoji)).toBeNull()
    for (const spoof of ['a\u200Db', '👩\u200Db', 'a\u200D💻', '\u200D👩']) expect(nameProblem(spoof)).toMatch(/invisible/)
  })
})

describe('text people set for others to read (display names, status lines, notes)', () => {
  it('allows spaces, accents, CJK and emoji sequences', async () => {
    const { DisplayNameSchema, StatusLineSchema, RequestNoteSchema } = await import('../../../../src/shared/protocol/names')
    for (const ok of ['Alice Smith', 'Zoë', '李雷', '👩‍💻 at work', 'Ünïcödé ñ']) expect(DisplayNameSchema.parse(ok)).toBe(ok)
    expect(StatusLineSchema.parse('Out until Monday 🏖️')).toBe('Out until Monday 🏖️')
    expect(RequestNoteSchema.parse("Hi, it's Bob from the conference")).toBe("Hi, it's Bob from the conference")
  })

  it.each([
    ['empty', '', /cannot be empty/],
    ['only spaces', '   ', /cannot be empty/],
    ['a right-to-left override', 'evil\u202Egnp.exe', /control or invisible/],
    ['a zero-width space', 'ali\u200Bce', /control or invisible/],
    ['a newline', 'two\nlines', /control or invisible/],
    ['a lone surrogate', 'bad\uD800', /broken characters/],
    ['too many characters', 'x'.repeat(65), /at most 64 characters/],
  ])('refuses a display name that is %s', async (_what, value, message) => {
    const { DisplayNameSchema } = await import('../../../../src/shared/protocol/names')
    const r = DisplayNameSchema.safeParse(value)
    expect(r.success).toBe(false)
    expect(r.error?.issues[0]?.message).toMatch(message)
    expect(r.error?.issues[0]?.message).toMatch(/^A display name /)
  })
})
