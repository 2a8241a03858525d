import { describe, expect, it, vi } from 'vitest'
import { METHOD_ARGS, type ParleyServices } from '../../../src/shared/contract'
import { createApiClient, dispatchCall, isEventName, ParleyError, type CallRequest, type CallResult, type EventListener } from '../../../src/shared/rpc'

function fakeServices() {
  const calls: { name: string; args: unknown[] }[] = []
  const record =
    (name: string, value: unknown = null) =>
    async (...args: unknown[]) => {
      calls.push({ name, args })
      return value
    }
  // Every method of the contract records its call; the ones below answer something specific.
  const generic = Object.fromEntries(
    Object.entries(METHOD_ARGS).map(([svc, methods]) => [svc, Object.fromEntries(Object.keys(methods).map((m) => [m, record(`${svc}.${m}`)]))]),
  )
  const specific = {
    account: {
      getState: record('account.getState', { configured: false }) as never,
      setup: record('account.setup', { configured: true }) as never,
      reconnect: record('account.reconnect', undefined) as never,
    },
    conversations: {
      list: record('conversations.list', []) as never,
      open: record('conversations.open', { id: 'dm:bob' }) as never,
      markRead: record('conversations.markRead', undefined) as never,
    },
    messages: {
      page: record('messages.page', { messages: [], hasMore: false }) as never,
      send: record('messages.send', { id: 'x' }) as never,
      retry: record('messages.retry', { id: 'x' }) as never,
      remove: record('messages.remove', undefined) as never,
    },
    presence: {
      get: record('presence.get', { user: 'bob', state: 'offline', lastSeen: null }) as never,
      mine: record('presence.mine') as never,
      setMode: record('presence.setMode') as never,
      reportIdle: record('presence.reportIdle', undefined) as never,
    },
    typing: {
      typing: record('typing.typing', undefined) as never,
    },
    receipts: {
      settings: record('receipts.settings', { sendReadReceipts: true }) as never,
      setSendReadReceipts: record('receipts.setSendReadReceipts') as never,
    },
  }
  const services = Object.fromEntries(
    Object.entries(generic).map(([svc, methods]) => [svc, { ...methods, ...(specific as Record<string, object>)[svc] }]),
  ) as unknown as ParleyServices
  return { services, calls }
}

const call = (service: string, method: string, args: unknown[] = []) => ({ service, method, args })

describe('dispatchCall', () => {
  it('runs a valid call with the parsed arguments', async () => {
    const { services, calls } = fakeServices()
    expect(await dispatchCall(services, call('conversations', 'open', ['bob']))).toEqual({ ok: true, value: { id: 'dm:bob' } })
    expect(await dispatchCall(services, call('messages', 'page', [{ conversationId: 'dm:bob' }]))).toMatchObject({ ok: true })
    // PageQuerySchema's default limit is applied before the service sees the query.
    expect(calls[1]).toEqual({ name: 'messages.page', args: [{ conversationId: 'dm:bob', limit: 50 }] })
  })

  it('turns an undefined result into null (it must cross a structured-clone boundary)', async () => {
    const { services } = fakeServices()
    expect(await dispatchCall(services, call('account', 'reconnect'))).toEqual({ ok: true, value: null })
  })

  it.each([
    ['an unknown service', call('files', 'list')],
    ['an unknown method', call('account', 'deleteEverything')],
    ['__proto__ as service', call('__proto__', 'toString')],
    ['constructor as method', call('account', 'constructor')],
    ['toString as method', call('conversations', 'toString')],
    ['hasOwnProperty as method', call('messages', 'hasOwnProperty')],
    ['constructor as service', call('constructor', 'name')],
    ['prototype as service', call('prototype', 'x')],
  ])('refuses %s without touching the services', async (_what, req) => {
    const { services, calls } = fakeServices()
    const r = await dispatchCall(services, req)
    expect(r).toEqual({ ok: false, error: { code: 'invalid-argument', message: `Unknown method ${req.service}.${req.method}.` } })
    expect(calls).toEqual([])
  })

  it.each([null, 'account.getState', 42, {}, { service: 'account', method: 'getState' }, { service: 1, method: 'x', args: [] }, call('account', 'getState', Array(9).fill(0))])(
    'refuses a malformed call %j',
    async (req) => {
      const { services } = fakeServices()
      expect(await dispatchCall(services, req)).toEqual({ ok: false, error: { code: 'invalid-argument', message: 'Malformed call.' } })
    },
  )

  it('refuses wrong argument types with a readable message', async () => {
    const { services, calls } = fakeServices()
    const cases = [
      call('conversations', 'open', [42]),
      call('conversations', 'open', []),
      call('conversations', 'markRead', ['bob']),
      call('messages', 'send', [{ conversationId: 'dm:bob', text: 7 }]),
      call('messages', 'send', [{ conversationId: 'dm:bob', text: '   ' }]),
      call('messages', 'page', [{ conversationId: 'dm:bob', limit: 100_000 }]),
      call('account', 'setup', [{ user: 'alice', broker: { kind: 'url', url: 'http://example.com' } }]),
      call('account', 'getState', ['extra']),
    ]
    for (const req of cases) {
      const r = await dispatchCall(services, req)
      expect(r, JSON.stringify(req)).toMatchObject({ ok: false, error: { code: 'invalid-argument' } })
      if (!r.ok) expect(r.error.message.length).toBeGreaterThan(0)
    }
    expect(calls).toEqual([])
  })

  it('a hostile name gets the name rule as the message', async () => {
    const { services, calls } = fakeServices()
    expect(await dispatchCall(services, call('conversations', 'open', ['a/b']))).toEqual({
      ok: false,
      error: { code: 'invalid-argument', message: 'A name cannot contain "/", "+" or "#".' },
    })
    expect(await dispatchCall(services, call('conversations', 'open', ['$SYS']))).toEqual({
      ok: false,
      error: { code: 'invalid-argument', message: 'A name cannot start with "$".' },
    })
    expect(await dispatchCall(services, call('account', 'setup', [{ user: 'a b', broker: { kind: 'embedded' } }]))).toEqual({
      ok: false,
      error: { code: 'invalid-argument', message: 'A name cannot contain spaces.' },
    })
    expect(calls).toEqual([])
  })

  it('maps what a service throws: ParleyError keeps its code, anything else becomes internal with an incident code', async () => {
    const { services } = fakeServices()
    services.conversations.list = async () => {
      throw new ParleyError('Set up first.', 'not-configured')
    }
    services.messages.send = async () => {
      throw new Error('disk full')
    }
    services.account.getState = async () => {
      throw 'a string'
    }
    expect(await dispatchCall(services, call('conversations', 'list'))).toEqual({ ok: false, error: { code: 'not-configured', message: 'Set up first.' } })
    const internal = { ok: false, error: { code: 'internal', message: expect.stringMatching(/^Something went wrong \(code [0-9A-F]{8}\)\. The details are in Parley's log\.$/) } }
    const sent = await dispatchCall(services, call('messages', 'send', [{ conversationId: 'dm:bob', text: 'hi' }]))
    expect(sent).toEqual(internal)
    expect(JSON.stringify(sent)).not.toContain('disk full')
    const got = await dispatchCall(services, call('account', 'getState'))
    expect(got).toEqual(internal)
    expect(JSON.stringify(got)).not.toContain('a string')
  })

  it('calls the method with the service as `this`', async () => {
    const { services } = fakeServices()
    const receivers: unknown[] = []
    services.conversations.list = async function (this: unknown) {
      receivers.push(this)
      return []
    }
    await dispatchCall(services, call('conversations', 'list'))
    expect(receivers).toEqual([services.conversations])
    expect(receivers[0]).toBe(services.conversations)
  })
})

describe('createApiClient', () => {
  it('builds every method in METHOD_ARGS and nothing else, and passes calls through', async () => {
    const seen: CallRequest[] = []
    const api = createApiClient(
      async (req) => {
        seen.push(req)
        return { ok: true, value: `${req.service}.${req.method}` }
      },
      () => () => {},
    )
    for (const [service, methods] of Object.entries(METHOD_ARGS)) {
      const proxy = (api as unknown as Record<string, Record<string, (...a: unknown[]) => Promise<unknown>>>)[service]!
      expect(Object.keys(proxy).sort()).toEqual(Object.keys(methods).sort())
      for (const method of Object.keys(methods)) {
        expect(await proxy[method]!('arg')).toBe(`${service}.${method}`)
      }
    }
    expect(Object.keys(api).sort()).toEqual([...Object.keys(METHOD_ARGS), 'on'].sort())
    expect(seen[0]).toEqual({ service: 'account', method: 'getState', args: ['arg'] })
    expect(Object.isFrozen(api)).toBe(true)
    expect(Object.isFrozen(api.account)).toBe(true)
  })

  it('turns {ok:false} into a thrown ParleyError with the code', async () => {
    const api = createApiClient(async (): Promise<CallResult> => ({ ok: false, error: { code: 'not-found', message: 'No such thing.' } }), () => () => {})
    const err = await api.conversations.open('bob').catch((e: unknown) => e)
    expect(err).toBeInstanceOf(ParleyError)
    expect(err).toMatchObject({ name: 'ParleyError', code: 'not-found', message: 'No such thing.' })
  })

  it('against dispatchCall end to end, a bad name throws invalid-argument', async () => {
    const { services } = fakeServices()
    const api = createApiClient((req) => dispatchCall(services, req), () => () => {})
    await expect(api.conversations.open('a/b')).rejects.toMatchObject({ code: 'invalid-argument', message: 'A name cannot contain "/", "+" or "#".' })
    await expect(api.conversations.open('bob')).resolves.toEqual({ id: 'dm:bob' })
  })

  it('subscribes to the transport once, delivers events by name, and unsubscribes a listener', () => {
    let transport: EventListener | null = null
    const subscribe = vi.fn((l: EventListener) => {
      transport = l
      return () => {}
    })
    const api = createApiClient(async () => ({ ok: true, value: null }), subscribe)
    expect(subscribe).not.toHaveBeenCalled()
    const messages: unknown[] = []
    const conversations: unknown[] = []
    const off = api.on('message', (m) => messages.push(m))
    api.on('conversation', (c) => conversations.push(c))
    expect(subscribe).toHaveBeenCalledTimes(1)
    transport!('message', { id: 1 })
    transport!('conversation', { id: 'dm:x' })
    off()
    transport!('message', { id: 2 })
    expect(messages).toEqual([{ id: 1 }])
    expect(conversations).toEqual([{ id: 'dm:x' }])
  })

  it('refuses an unknown event name', () => {
    const api = createApiClient(async () => ({ ok: true, value: null }), () => () => {})
    expect(() => api.on('nope' as never, () => {})).toThrow(ParleyError)
    expect(isEventName('message')).toBe(true)
    expect(isEventName('__proto__')).toBe(false)
    expect(isEventName(undefined)).toBe(false)
  })
})
