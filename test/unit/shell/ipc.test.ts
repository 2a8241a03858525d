import { describe, expect, it, vi } from 'vitest'
import type { ParleyEventName, ParleyServices } from '../../../src/shared/contract'
import { wireIpc, type WindowLike } from '../../../src/main/ipc'

// wireIpc takes Electron's ipcMain as a parameter; electron itself is never loaded here.
vi.mock('electron', () => ({}))

const OUR_URL = 'file:///opt/parley/out/renderer/index.html'
const isTrustedUrl = (url: string) => url === OUR_URL || url.startsWith(OUR_URL + '#')

type Frame = { url: string; parent: Frame | null; processId: number; routingId: number }

function setup() {
  const handlers = new Map<string, (event: unknown, ...args: unknown[]) => unknown>()
  const ipcMain = {
    handle: vi.fn((channel: string, h: (event: unknown, ...args: unknown[]) => unknown) => void handlers.set(channel, h)),
    removeHandler: vi.fn((channel: string) => void handlers.delete(channel)),
  }
  const mainFrame: Frame = { url: OUR_URL, parent: null, processId: 7, routingId: 1 }
  const win = {
    destroyed: false,
    isDestroyed() {
      return this.destroyed
    },
    webContents: { id: 42, mainFrame, isDestroyed: () => false, send: vi.fn() },
  }
  const services = {
    account: { getState: vi.fn(), setup: vi.fn(), reconnect: vi.fn() },
    conversations: {
      list: vi.fn(async () => [{ id: 'dm:bob', peer: 'bob' }]),
      open: vi.fn(async (peer: string) => ({ id: `dm:${peer}` })),
      markRead: vi.fn(),
    },
    messages: { page: vi.fn(), send: vi.fn() },
  }
  const listeners = new Set<(event: ParleyEventName, payload: unknown) => void>()
  const core = {
    services: services as unknown as ParleyServices,
    onEvent: vi.fn((l: (event: ParleyEventName, payload: unknown) => void) => {
      listeners.add(l)
      return () => void listeners.delete(l)
    }),
  }
  const refused = vi.fn()
  let current: typeof win | null = win
  const dispose = wireIpc(ipcMain, core, () => current as unknown as WindowLike | null, isTrustedUrl, refused)
  const call = (request: unknown, from: { senderId?: number; frame?: Frame | null } = {}) =>
    handlers.get('parley:call')!({ sender: { id: from.senderId ?? 42 }, senderFrame: from.frame === undefined ? mainFrame : from.frame }, request)
  const emit = (name: ParleyEventName, payload: unknown) => listeners.forEach((l) => l(name, payload))
  return { ipcMain, handlers, win, mainFrame, services, listeners, refused, call, emit, dispose, closeWindow: () => (current = null) }
}

describe('IPC wiring', () => {
  it('registers one invoke channel', () => {
    const t = setup()
    expect(t.ipcMain.handle).toHaveBeenCalledTimes(1)
    expect([...t.handlers.keys()]).toEqual(['parley:call'])
  })

  it('serves a valid call from our window through dispatchCall', async () => {
    const t = setup()
    const result = await t.call({ service: 'conversations', method: 'list', args: [] })
    expect(result).toEqual({ ok: true, value: [{ id: 'dm:bob', peer: 'bob' }] })
    expect(t.services.conversations.list).toHaveBeenCalledTimes(1)
    expect(await t.call({ service: 'conversations', method: 'open', args: ['alice'] })).toEqual({ ok: true, value: { id: 'dm:alice' } })
    expect(t.services.conversations.open).toHaveBeenCalledWith('alice')
  })

  it('rejects an invalid argument before it reaches the service', async () => {
    const t = setup()
    const result = (await t.call({ service: 'conversations', method: 'open', args: ['a/b'] })) as { ok: boolean; error: { code: string } }
    expect(result).toMatchObject({ ok: false, error: { code: 'invalid-argument' } })
    expect(t.services.conversations.open).not.toHaveBeenCalled()
    expect(await t.call({ service: 'constructor', method: 'call', args: [] })).toMatchObject({ ok: false, error: { code: 'invalid-argument' } })
    expect(await t.call('not a call')).toMatchObject({ ok: false, error: { code: 'invalid-argument' } })
  })

  it('refuses a call from a page that is not our renderer', async () => {
    const t = setup()
    t.mainFrame.url = 'https://evil.example/'
    const result = await t.call({ service: 'conversations', method: 'list', args: [] })
    expect(result).toMatchObject({ ok: false, error: { code: 'failed' } })
    expect(t.services.conversations.list).not.toHaveBeenCalled()
    expect(t.refused).toHaveBeenCalledWith({ url: 'https://evil.example/' })
  })

  it('refuses calls from other web contents, subframes, vanished frames and a closed window', async () => {
    const t = setup()
    const req = { service: 'conversations', method: 'list', args: [] }
    expect(await t.call(req, { senderId: 43 })).toMatchObject({ ok: false })
    const iframe: Frame = { url: OUR_URL, parent: t.mainFrame, processId: 7, routingId: 2 }
    expect(await t.call(req, { frame: iframe })).toMatchObject({ ok: false })
    const otherTop: Frame = { url: OUR_URL, parent: null, processId: 8, routingId: 1 }
    expect(await t.call(req, { frame: otherTop })).toMatchObject({ ok: false })
    expect(await t.call(req, { frame: null })).toMatchObject({ ok: false })
    t.win.destroyed = true
    expect(await t.call(req)).toMatchObject({ ok: false })
    t.win.destroyed = false
    t.closeWindow()
    expect(await t.call(req)).toMatchObject({ ok: false })
    expect(t.services.conversations.list).not.toHaveBeenCalled()
  })

  it('forwards engine events to the window', () => {
    const t = setup()
    const message = { id: 'm1', conversationId: 'dm:bob', sender: 'bob', direction: 'in', ts: 1, text: 'hi', status: 'received' }
    t.emit('message', message)
    t.emit('connection', { state: 'connected' })
    expect(t.win.webContents.send.mock.calls).toEqual([
      ['parley:event', 'message', message],
      ['parley:event', 'connection', { state: 'connected' }],
    ])
    t.closeWindow()
    t.emit('message', message)
    expect(t.win.webContents.send).toHaveBeenCalledTimes(2)
  })

  it('undoes itself', () => {
    const t = setup()
    t.dispose()
    expect(t.ipcMain.removeHandler).toHaveBeenCalledWith('parley:call')
    expect(t.listeners.size).toBe(0)
  })
})
