import { vi } from 'vitest'
import type { AccountState, ParleyApi, ParleyEventName, ParleyEvents } from '../../../src/shared/contract'

export const CONFIGURED: AccountState = {
  configured: true,
  user: 'alice',
  broker: { kind: 'embedded', port: 18830, shareOnLan: false },
  deviceId: 'dev1',
  dataDir: '/tmp/x',
  connection: { state: 'connected', broker: 'mqtt://127.0.0.1:18830', detail: null, protocolVersion: 5, retryInMs: null },
  problem: null,
}

/** A ParleyApi whose methods are mocks (answering with harmless defaults) and whose events the test emits. */
export function fakeApi() {
  const listeners = new Map<string, Set<(p: unknown) => void>>()
  type Api = ParleyApi
  const api = {
    account: {
      getState: vi.fn<Api['account']['getState']>(async () => CONFIGURED),
      setup: vi.fn<Api['account']['setup']>(async () => CONFIGURED),
      reconnect: vi.fn<Api['account']['reconnect']>(async () => {}),
    },
    conversations: {
      list: vi.fn<Api['conversations']['list']>(async () => []),
      open: vi.fn<Api['conversations']['open']>(),
      markRead: vi.fn<Api['conversations']['markRead']>(async () => {}),
    },
    messages: {
      page: vi.fn<Api['messages']['page']>(async () => ({ messages: [], hasMore: false, hasNewer: false, firstUnread: null })),
      send: vi.fn<Api['messages']['send']>(),
      retry: vi.fn<Api['messages']['retry']>(),
      remove: vi.fn<Api['messages']['remove']>(async () => {}),
    },
    presence: {
      get: vi.fn<Api['presence']['get']>(async (user) => ({ user, state: 'offline', lastSeen: null })),
      mine: vi.fn<Api['presence']['mine']>(async () => ({ mode: 'auto', idle: false, state: 'online' })),
      setMode: vi.fn<Api['presence']['setMode']>(),
      reportIdle: vi.fn<Api['presence']['reportIdle']>(async () => {}),
      settings: vi.fn<Api['presence']['settings']>(async () => ({ awayAfterMinutes: 5, appearOffline: false })),
      setSettings: vi.fn<Api['presence']['setSettings']>(),
    },
    typing: { typing: vi.fn<Api['typing']['typing']>(async () => {}) },
    receipts: {
      settings: vi.fn<Api['receipts']['settings']>(async () => ({ sendReadReceipts: true })),
      setSendReadReceipts: vi.fn<Api['receipts']['setSendReadReceipts']>(),
    },
    on(event: string, listener: (p: unknown) => void) {
      let set = listeners.get(event)
      if (!set) listeners.set(event, (set = new Set()))
      set.add(listener)
      return () => set.delete(listener)
    },
  }
  function emit<K extends ParleyEventName>(event: K, payload: ParleyEvents[K]): void {
    for (const l of listeners.get(event) ?? []) l(payload)
  }
  return { api, parley: api as unknown as ParleyApi, emit, listenerCount: (e: string) => listeners.get(e)?.size ?? 0 }
}

/** Stands in for the page's window and document (the unit tests run in Node). */
export function fakePage() {
  const win = new EventTarget()
  const doc = Object.assign(new EventTarget(), { visibilityState: 'visible' as DocumentVisibilityState, hasFocus: () => true })
  vi.stubGlobal('window', win)
  vi.stubGlobal('document', doc)
  return { win, doc }
}
