import { beforeAll, describe, expect, it, vi } from 'vitest'
import { CONTRACT } from '../../../src/shared/contract'
import { ParleyError, toParleyError } from '../../../src/shared/rpc'

const electron = vi.hoisted(() => {
  const handlers = new Map<string, Set<(...args: unknown[]) => void>>()
  return {
    handlers,
    contextBridge: { exposeInMainWorld: vi.fn() },
    ipcRenderer: {
      invoke: vi.fn(async (_channel: string, _req: unknown): Promise<unknown> => ({ ok: true, value: null })),
      on: vi.fn((channel: string, h: (...args: unknown[]) => void) => {
        if (!handlers.has(channel)) handlers.set(channel, new Set())
        handlers.get(channel)!.add(h)
      }),
      removeListener: vi.fn((channel: string, h: (...args: unknown[]) => void) => {
        handlers.get(channel)?.delete(h)
      }),
    },
  }
})

vi.mock('electron', () => ({ contextBridge: electron.contextBridge, ipcRenderer: electron.ipcRenderer }))

type Api = Record<string, Record<string, (...args: unknown[]) => Promise<unknown>>> & {
  on: (event: string, listener: (payload: unknown) => void) => () => void
}
let api: Api

beforeAll(async () => {
  await import('../../../src/preload/index')
  api = electron.contextBridge.exposeInMainWorld.mock.calls[0]![1] as Api
})

describe('Electron preload', () => {
  it('exposes exactly one key, parley, with the services and on', () => {
    expect(electron.contextBridge.exposeInMainWorld).toHaveBeenCalledTimes(1)
    expect(electron.contextBridge.exposeInMainWorld.mock.calls[0]![0]).toBe('parley')
    expect(Object.keys(api).sort()).toEqual([...Object.keys(CONTRACT), 'on'].sort())
    expect(typeof api.on).toBe('function')
    expect(Object.keys(api.account!).sort()).toEqual(['dataDirSwitch', 'getState', 'reconnect', 'relaunchWithDataDir', 'setup', 'signOut', 'testBroker'])
    expect(Object.keys(api.conversations!).sort()).toEqual(['list', 'markRead', 'open'])
    expect(Object.keys(api.messages!).sort()).toEqual(['page', 'remove', 'retry', 'send', 'sendToMany'])
    expect(Object.keys(api.presence!).sort()).toEqual(['get', 'mine', 'reportIdle', 'setMode', 'setSettings', 'settings'])
    expect(Object.keys(api.typing!).sort()).toEqual(['typing'])
    // Plain objects of plain functions, nothing that leaks ipcRenderer.
    for (const service of ['account', 'conversations', 'messages']) {
      for (const fn of Object.values(api[service]!)) expect(typeof fn).toBe('function')
    }
    expect(JSON.stringify(Object.keys(api))).not.toContain('ipc')
  })

  it('sends a call over parley:call and returns its value', async () => {
    electron.ipcRenderer.invoke.mockResolvedValueOnce({ ok: true, value: [{ id: 'dm:bob' }] })
    await expect(api.conversations!.list!()).resolves.toEqual([{ id: 'dm:bob' }])
    expect(electron.ipcRenderer.invoke).toHaveBeenLastCalledWith('parley:call', { service: 'conversations', method: 'list', args: [] })
  })

  it('turns an error result into a rejection with its message', async () => {
    electron.ipcRenderer.invoke.mockResolvedValueOnce({ ok: false, error: { code: 'invalid-argument', message: 'Names may not contain "/".' } })
    // A plain object, because contextBridge would strip an Error down to its message.
    const rejection = await api.conversations!.open!('a/b').catch((e: unknown) => e)
    expect(rejection).toEqual({ name: 'ParleyError', code: 'invalid-argument', message: 'Names may not contain "/".' })
    expect(structuredClone(rejection)).toEqual(rejection)
    const err = toParleyError(rejection)
    expect(err).toBeInstanceOf(ParleyError)
    expect([err.code, err.message]).toEqual(['invalid-argument', 'Names may not contain "/".'])
  })

  it('delivers parley:event messages to listeners and ignores unknown events', () => {
    const seen: unknown[] = []
    const off = api.on('message', (p) => seen.push(p))
    expect(electron.ipcRenderer.on).toHaveBeenCalledWith('parley:event', expect.any(Function))
    const fire = (...args: unknown[]) => electron.handlers.get('parley:event')!.forEach((h) => h({}, ...args))
    fire('message', { id: 'm1' })
    fire('connection', { state: 'connected' })
    fire('__proto__', { evil: true })
    expect(seen).toEqual([{ id: 'm1' }])
    off()
    fire('message', { id: 'm2' })
    expect(seen).toEqual([{ id: 'm1' }])
  })
})
