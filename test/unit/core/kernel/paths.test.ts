import { join, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { resolveDataDir } from '../../../../src/main/core/kernel/paths'

describe('resolveDataDir', () => {
  it('prefers the flag, then PARLEY_DATA_DIR', () => {
    expect(resolveDataDir({ flag: 'rel/dir', env: { PARLEY_DATA_DIR: '/env' } })).toBe(resolve('rel/dir'))
    expect(resolveDataDir({ env: { PARLEY_DATA_DIR: '/env' } })).toBe('/env')
  })

  it('uses the platform place otherwise', () => {
    expect(resolveDataDir({ env: {}, platform: 'linux', home: '/home/u' })).toBe(join('/home/u', '.local', 'share', 'parley'))
    expect(resolveDataDir({ env: { XDG_DATA_HOME: '/xdg' }, platform: 'linux', home: '/home/u' })).toBe(join('/xdg', 'parley'))
    expect(resolveDataDir({ env: {}, platform: 'darwin', home: '/Users/u' })).toBe(join('/Users/u', 'Library', 'Application Support', 'Parley'))
    expect(resolveDataDir({ env: { APPDATA: 'C:/AppData' }, platform: 'win32', home: 'C:/u' })).toBe(join('C:/AppData', 'Parley'))
  })
})
