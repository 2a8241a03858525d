import { resolve } from 'node:path'
import { describe, expect, it, vi } from 'vitest'
import { dataDirFlag, shellDataDir } from '../../../src/main/data-dir'

vi.mock('electron', () => ({}))

describe('shell data directory', () => {
  it('reads --data-dir in both spellings', () => {
    expect(dataDirFlag(['electron', '.', '--data-dir', '/tmp/a'])).toBe('/tmp/a')
    expect(dataDirFlag(['electron', '.', '--data-dir=/tmp/b'])).toBe('/tmp/b')
    expect(dataDirFlag(['electron', '.', '--data-dir'])).toBeUndefined()
    expect(dataDirFlag(['electron', '.'])).toBeUndefined()
  })

  it('prefers --data-dir, then PARLEY_DATA_DIR, then userData', () => {
    const userData = '/home/u/.config/Parley'
    expect(shellDataDir({ argv: ['x', '--data-dir', '/d/flag'], env: { PARLEY_DATA_DIR: '/d/env' }, userData })).toBe(resolve('/d/flag'))
    expect(shellDataDir({ argv: ['x'], env: { PARLEY_DATA_DIR: '/d/env' }, userData })).toBe(resolve('/d/env'))
    expect(shellDataDir({ argv: ['x'], env: {}, userData })).toBe(resolve(userData))
  })
})
