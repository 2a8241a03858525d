import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { lockDataDir } from '../../../../src/main/core/kernel/data-dir-lock'
import { ParleyError } from '../../../../src/shared/rpc'
import { tmpDirs } from '../../../helpers/tmp-dir'

/** A pid above Linux's pid_max (2^22), so no process can have it. */
const DEAD_PID = 99_999_999

describe('data directory lock', () => {
  const dirs = tmpDirs('parley-lock-')
  const unlocks: (() => void)[] = []
  afterEach(() => {
    for (const u of unlocks.splice(0)) u()
    dirs.cleanup()
  })

  it('writes our pid and removes the lock on unlock', () => {
    const dir = dirs.make()
    const unlock = lockDataDir(dir)
    expect(readFileSync(join(dir, 'parley.lock'), 'utf8')).toBe(String(process.pid))
    unlock()
    expect(existsSync(join(dir, 'parley.lock'))).toBe(false)
    unlocks.push(lockDataDir(dir)) // can be taken again
  })

  it('a second lock on the same directory in the same process throws a clear error', () => {
    const dir = dirs.make()
    unlocks.push(lockDataDir(dir))
    let err: unknown
    try {
      lockDataDir(dir)
    } catch (e) {
      err = e
    }
    expect(err).toBeInstanceOf(ParleyError)
    expect((err as Error).message).toBe(`Parley is already open with the data directory ${dir}.`)
  })

  it('different directories lock independently', () => {
    unlocks.push(lockDataDir(dirs.make()))
    unlocks.push(lockDataDir(dirs.make()))
  })

  it('a stale lock from a dead process is taken over', () => {
    const dir = dirs.make()
    writeFileSync(join(dir, 'parley.lock'), String(DEAD_PID))
    unlocks.push(lockDataDir(dir))
    expect(readFileSync(join(dir, 'parley.lock'), 'utf8')).toBe(String(process.pid))
  })

  it('a lock file with garbage in it is taken over', () => {
    const dir = dirs.make()
    writeFileSync(join(dir, 'parley.lock'), 'not a pid')
    unlocks.push(lockDataDir(dir))
    expect(readFileSync(join(dir, 'parley.lock'), 'utf8')).toBe(String(process.pid))
  })

  it('a lock held by another live process is refused, naming the process', () => {
    const dir = dirs.make()
    const other = process.ppid
    writeFileSync(join(dir, 'parley.lock'), String(other))
    expect(() => lockDataDir(dir)).toThrow(new RegExp(`already running with the data directory .* \\(process ${other}\\)`))
    expect(readFileSync(join(dir, 'parley.lock'), 'utf8')).toBe(String(other))
  })
})
