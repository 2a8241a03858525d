import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { Settings } from '../../../../src/shared/schemas'
import { loadSettings, saveSettings } from '../../../../src/main/core/kernel/settings-file'
import { tmpDirs } from '../../../helpers/tmp-dir'

const GOOD: Settings = {
  version: 1,
  user: 'Zoë',
  broker: { kind: 'url', url: 'mqtt://127.0.0.1:1883', username: 'zoe', password: 's3cret' },
  root: 'IMS',
  groupId: 'GID_PARLEY',
  deviceId: '0123456789abcdef',
}

describe('settings file', () => {
  const dirs = tmpDirs('parley-settings-')
  afterEach(() => dirs.cleanup())

  const brokenFiles = (dir: string) => readdirSync(dir).filter((f) => /^settings\.json\.broken-\d+$/.test(f))

  it('a missing file means "not set up", with no problem', () => {
    expect(loadSettings(join(dirs.make(), 'settings.json'))).toEqual({ settings: null, problem: null })
  })

  it('saveSettings round-trips through loadSettings', () => {
    const path = join(dirs.make(), 'sub', 'settings.json')
    saveSettings(path, GOOD)
    expect(loadSettings(path)).toEqual({ settings: GOOD, problem: null })
  })

  it('saveSettings writes atomically: no temp file is left and the file is private', () => {
    const dir = dirs.make()
    const path = join(dir, 'settings.json')
    saveSettings(path, GOOD)
    saveSettings(path, { ...GOOD, user: 'alice' })
    expect(readdirSync(dir)).toEqual(['settings.json'])
    expect(statSync(path).mode & 0o777).toBe(0o600)
    expect(JSON.parse(readFileSync(path, 'utf8')).user).toBe('alice')
  })

  it('saveSettings refuses invalid settings and leaves the old file untouched', () => {
    const dir = dirs.make()
    const path = join(dir, 'settings.json')
    saveSettings(path, GOOD)
    const before = readFileSync(path, 'utf8')
    expect(() => saveSettings(path, { ...GOOD, user: 'a/b' })).toThrow()
    expect(readFileSync(path, 'utf8')).toBe(before)
    expect(readdirSync(dir)).toEqual(['settings.json'])
  })

  it('invalid JSON is moved aside (not deleted) with a problem message', () => {
    const dir = dirs.make()
    const path = join(dir, 'settings.json')
    writeFileSync(path, '{"version": 1, "user": ')
    const { settings, problem } = loadSettings(path)
    expect(settings).toBeNull()
    expect(existsSync(path)).toBe(false)
    const aside = brokenFiles(dir)
    expect(aside).toHaveLength(1)
    expect(readFileSync(join(dir, aside[0]!), 'utf8')).toBe('{"version": 1, "user": ')
    expect(problem).toMatch(/not valid JSON/)
    expect(problem).toContain(join(dir, aside[0]!))
    expect(problem).toMatch(/set up Parley again/)
  })

  it('a schema-invalid file is moved aside with the failing field named', () => {
    const dir = dirs.make()
    const path = join(dir, 'settings.json')
    const content = JSON.stringify({ ...GOOD, user: 'bad/name' })
    writeFileSync(path, content)
    const { settings, problem } = loadSettings(path)
    expect(settings).toBeNull()
    const aside = brokenFiles(dir)
    expect(aside).toHaveLength(1)
    expect(readFileSync(join(dir, aside[0]!), 'utf8')).toBe(content)
    expect(problem).toMatch(/cannot contain "\/", "\+" or "#"/)
    expect(problem).toMatch(/at "user"/)
  })

  it('a file with an unknown broker kind or version is moved aside too', () => {
    const dir = dirs.make()
    const path = join(dir, 'settings.json')
    writeFileSync(path, JSON.stringify({ ...GOOD, version: 2 }))
    expect(loadSettings(path).problem).toMatch(/version/)
    writeFileSync(path, JSON.stringify({ ...GOOD, broker: { kind: 'url', url: 'http://x' } }))
    expect(loadSettings(path).problem).toMatch(/broker URL/)
    writeFileSync(path, 'null')
    expect(loadSettings(path).settings).toBeNull()
    expect(existsSync(path)).toBe(false)
  })
})
