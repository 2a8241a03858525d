import { describe, expect, it } from 'vitest'
import { MAX_NAME_LENGTH, NameSchema, nameProblem } from '../../../src/shared/names'

describe('names', () => {
  const refused: [string, unknown, RegExp][] = [
    ['a slash', 'a/b', /cannot contain "\/", "\+" or "#"/],
    ['a plus', 'a+b', /cannot contain "\/", "\+" or "#"/],
    ['a hash', 'a#b', /cannot contain "\/", "\+" or "#"/],
    ['a lone wildcard', '#', /cannot contain/],
    ['a space', 'bob smith', /cannot contain spaces/],
    ['a tab', 'bob\tsmith', /cannot contain spaces/],
    ['a newline', 'bob\nsmith', /cannot contain spaces/],
    ['a NUL', 'bob\u0000smith', /control characters/],
    ['a DEL', 'bob\u007fsmith', /control characters/],
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
