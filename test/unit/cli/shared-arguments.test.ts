/**
 * What several commands share in reading their arguments: one user name, none at
 * all, and a file named on the command line (phone find, profile --avatar).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { noArgs, oneName, UsageError } from '../../../src/cli/command'
import { readFileArg } from '../../../src/cli/common'
import { ParleyError } from '../../../src/shared/rpc'

describe('command arguments', () => {
  it('oneName takes exactly one valid user name and says how to call the command otherwise', () => {
    expect(oneName('block', ['carol'])).toBe('carol')
    const hint = new UsageError('block takes exactly one user name: parley block NAME --user YOU.')
    expect(() => oneName('block', [])).toThrow(hint)
    expect(() => oneName('block', ['carol', 'dave'])).toThrow(hint)
    expect(() => oneName('block', ['a/b'])).toThrow(/^block NAME: A name cannot contain/)
  })

  it('noArgs refuses any positional argument', () => {
    expect(noArgs('feed', [])).toEqual([])
    expect(() => noArgs('feed', ['x'])).toThrow(new UsageError('feed takes no arguments: parley feed --user YOU.'))
  })
})

describe('a file named on the command line', () => {
  const dir = mkdtempSync(join(tmpdir(), 'parley-cli-file-'))
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it('is read whole when it is small enough', () => {
    const file = join(dir, 'small.txt')
    writeFileSync(file, 'Bob;601 234 567\n')
    expect(readFileArg(file, 1024 * 1024).toString('utf8')).toBe('Bob;601 234 567\n')
  })

  it('is refused, naming it, when missing or over the limit (in MB)', () => {
    const missing = join(dir, 'nope.vcf')
    expect(() => readFileArg(missing, 1024 * 1024)).toThrow(new ParleyError(`Cannot read ${missing}: no such file.`, 'invalid-argument'))
    const big = join(dir, 'big.bin')
    writeFileSync(big, Buffer.alloc(1024 * 1024 + 1))
    expect(() => readFileArg(big, 1024 * 1024)).toThrow(`${big} is over 1 MB.`)
  })
})
