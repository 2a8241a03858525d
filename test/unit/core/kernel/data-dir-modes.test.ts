import { chmodSync, mkdirSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { lockDataDir, prepareDataDir } from '../../../../src/main/core/kernel/data-dir-lock'
import { tmpDirs } from '../../../helpers/tmp-dir'

const mode = (path: string) => statSync(path).mode & 0o777

/** The data directory holds someone's message history: private whatever the umask. */
describe('data directory permissions', () => {
  const dirs = tmpDirs('parley-modes-')
  const unlocks: (() => void)[] = []
  let umask: number
  beforeEach(() => {
    umask = process.umask(0o022)
  })
  afterEach(() => {
    process.umask(umask)
    for (const u of unlocks.splice(0)) u()
    dirs.cleanup()
  })

  it('a new data directory (and the parents it needs) is created 0700', () => {
    const parent = join(dirs.make(), 'deep')
    const dir = join(parent, 'parley')
    prepareDataDir(dir)
    expect(mode(dir)).toBe(0o700)
    expect(mode(parent)).toBe(0o700)
  })

  it('an existing world-readable directory and its files are made private; subfolders and other entries are left alone', () => {
    const dir = dirs.make()
    chmodSync(dir, 0o755)
    writeFileSync(join(dir, 'settings.json'), '{}', { mode: 0o644 })
    writeFileSync(join(dir, 'history.db'), '', { mode: 0o666 })
    chmodSync(join(dir, 'history.db'), 0o666)
    writeFileSync(join(dir, 'history.db-wal'), '', { mode: 0o644 })
    chmodSync(join(dir, 'history.db-wal'), 0o644)
    mkdirSync(join(dir, 'logs'), { mode: 0o755 })
    // Someone's --data-dir may hold other things: a script keeps its executable bits.
    writeFileSync(join(dir, 'deploy.sh'), '#!/bin/sh\n')
    chmodSync(join(dir, 'deploy.sh'), 0o755)
    prepareDataDir(dir)
    expect(mode(dir)).toBe(0o700)
    expect(mode(join(dir, 'settings.json'))).toBe(0o600)
    expect(mode(join(dir, 'history.db'))).toBe(0o600)
    expect(mode(join(dir, 'history.db-wal'))).toBe(0o600)
    expect(mode(join(dir, 'logs'))).toBe(0o755)
    expect(mode(join(dir, 'deploy.sh'))).toBe(0o755)
  })

  it('lockDataDir prepares the directory and writes its lock file 0600, with umask 022 or 0', () => {
    const dir = join(dirs.make(), 'new')
    unlocks.push(lockDataDir(dir))
    expect(mode(dir)).toBe(0o700)
    expect(mode(join(dir, 'parley.lock'))).toBe(0o600)
    process.umask(0)
    const other = join(dirs.make(), 'new')
    unlocks.push(lockDataDir(other))
    expect(mode(other)).toBe(0o700)
    expect(mode(join(other, 'parley.lock'))).toBe(0o600)
  })

  it('a stale lock file left world-readable is taken over and private again', () => {
    const dir = dirs.make()
    writeFileSync(join(dir, 'parley.lock'), '99999999', { mode: 0o644 })
    chmodSync(join(dir, 'parley.lock'), 0o644)
    unlocks.push(lockDataDir(dir))
    expect(mode(join(dir, 'parley.lock'))).toBe(0o600)
  })
})
