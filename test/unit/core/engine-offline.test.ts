import { randomBytes } from 'node:crypto'
import { existsSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { ParleyCore } from '../../../src/main/core/engine'
import { dispatchCall } from '../../../src/shared/rpc'
import { tmpDirs } from '../../helpers/tmp-dir'

/** The engine before set-up: nothing connects, so these stay off the network. */
describe('ParleyCore before set-up', () => {
  const dirs = tmpDirs('parley-core-')
  const cores: ParleyCore[] = []
  const open = async (dataDir = dirs.make()) => {
    const core = await ParleyCore.open({ dataDir })
    cores.push(core)
    return core
  }
  afterEach(async () => {
    for (const c of cores.splice(0)) await c.close()
    dirs.cleanup()
  })

  it('reports an idle, unconfigured account', async () => {
    const core = await open()
    const state = await core.services.account.getState()
    expect(state).toMatchObject({ configured: false, user: null, broker: null, deviceId: null, problem: null, dataDir: core.dataDir })
    // The MQTT client id carries a per-installation secret: it is never part of the account state.
    expect(state).not.toHaveProperty('clientId')
    expect(state.connection).toMatchObject({ state: 'idle', protocolVersion: null })
    expect(await core.services.conversations.list()).toEqual([])
  })

  it('refuses to open or send before set-up, with not-configured', async () => {
    const core = await open()
    await expect(core.services.conversations.open('bob')).rejects.toMatchObject({ code: 'not-configured' })
    await expect(core.services.messages.send({ conversationId: 'dm:bob', text: 'hi' })).rejects.toMatchObject({ code: 'not-configured' })
    await expect(core.services.account.reconnect()).rejects.toMatchObject({ code: 'not-configured' })
    expect(await dispatchCall(core.services, { service: 'conversations', method: 'open', args: ['bob'] })).toMatchObject({
      ok: false,
      error: { code: 'not-configured' },
    })
  })

  it('holds the data directory: a second core on it fails, and close releases it', async () => {
    const dir = dirs.make()
    const first = await open(dir)
    await expect(ParleyCore.open({ dataDir: dir })).rejects.toThrow(/already open/)
    await first.close()
    await first.close() // twice is harmless
    expect(existsSync(join(dir, 'parley.lock'))).toBe(false)
    await open(dir)
  })

  it('surfaces unreadable settings and history as the account problem', async () => {
    const dir = dirs.make()
    writeFileSync(join(dir, 'settings.json'), '{oops')
    writeFileSync(join(dir, 'history.db'), randomBytes(4096))
    const core = await open(dir)
    const { problem, configured } = await core.services.account.getState()
    expect(configured).toBe(false)
    expect(problem).toMatch(/message history could not be read/)
    expect(problem).toMatch(/settings could not be read/)
  })

  it('a failed open (history from a newer Parley) releases the lock', async () => {
    const dir = dirs.make()
    const Database = (await import('better-sqlite3')).default
    const db = new Database(join(dir, 'history.db'))
    db.pragma('user_version = 99')
    db.close()
    await expect(ParleyCore.open({ dataDir: dir })).rejects.toThrow(/newer Parley/)
    expect(existsSync(join(dir, 'parley.lock'))).toBe(false)
  })
})
