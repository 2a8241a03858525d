import { describe, expect, it, vi } from 'vitest'
import { z } from 'zod'
import type { ParleyServices } from '../../../src/shared/contract'
import { createApiClient, dispatchCall, ParleyError, toParleyError, type CallResult, type UnexpectedErrorSink } from '../../../src/shared/rpc'

const SEND = { service: 'messages', method: 'send', args: [{ conversationId: 'dm:bob', text: 'hi' }] }
const INCIDENT = /^Something went wrong \(code ([0-9A-F]{8})\)/

/** Services whose messages.send throws `err`. */
const throwing = (err: unknown) =>
  ({
    messages: {
      async send() {
        throw err
      },
    },
  }) as unknown as ParleyServices

describe('dispatchCall and unexpected errors', () => {
  it('an unexpected Error becomes internal "Something went wrong (code …)" without its path or SQLite text', async () => {
    const r = await dispatchCall(throwing(new Error('SQLITE_BUSY /home/x/history.db')), SEND)
    expect(r).toMatchObject({ ok: false, error: { code: 'internal', message: expect.stringMatching(INCIDENT) } })
    if (r.ok) return
    expect(r.error.message).not.toContain('/home/x')
    expect(r.error.message).not.toContain('history.db')
    expect(r.error.message).not.toMatch(/SQLITE/i)
    expect(Object.keys(r.error).sort()).toEqual(['code', 'message'])
  })

  it('a SqliteError-like object with a code property is internal too, not passed through', async () => {
    const err = Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY', name: 'SqliteError' })
    const r = await dispatchCall(throwing(err), SEND)
    expect(r).toMatchObject({ ok: false, error: { code: 'internal' } })
    expect(JSON.stringify(r)).not.toMatch(/SQLITE|locked/)
  })

  it('the onUnexpected sink gets the error itself and the code the person sees', async () => {
    const err = new Error('SQLITE_BUSY /home/x/history.db')
    const sink = vi.fn<UnexpectedErrorSink>()
    const r = await dispatchCall(throwing(err), SEND, sink)
    expect(sink).toHaveBeenCalledTimes(1)
    const [got, detail] = sink.mock.calls[0]!
    expect(got).toBe(err)
    expect(detail).toEqual({ code: expect.stringMatching(/^[0-9A-F]{8}$/), service: 'messages', method: 'send' })
    expect(!r.ok && r.error.message.match(INCIDENT)![1]).toBe(detail.code)
  })

  it('each incident has its own code', async () => {
    const codes = new Set<string>()
    for (let i = 0; i < 20; i++) {
      const r = await dispatchCall(throwing(new Error('x')), SEND)
      if (!r.ok) codes.add(r.error.message.match(INCIDENT)![1]!)
    }
    expect(codes.size).toBe(20)
  })

  it('a throwing sink does not turn the failed call into a rejection', async () => {
    const sink = vi.fn(() => {
      throw new Error('log is gone')
    })
    await expect(dispatchCall(throwing(new Error('boom')), SEND, sink)).resolves.toMatchObject({ ok: false, error: { code: 'internal' } })
    expect(sink).toHaveBeenCalledTimes(1)
  })

  it('the sink is not told about a ParleyError or a validation error: those are for people', async () => {
    const sink = vi.fn<UnexpectedErrorSink>()
    expect(await dispatchCall(throwing(new ParleyError('No such message.', 'not-found')), SEND, sink)).toEqual({
      ok: false,
      error: { code: 'not-found', message: 'No such message.' },
    })
    const zodError = z.object({ n: z.number({ error: 'A number, please.' }) }).safeParse({ n: 'x' }).error!
    expect(await dispatchCall(throwing(zodError), SEND, sink)).toEqual({ ok: false, error: { code: 'invalid-argument', message: 'A number, please.' } })
    expect(sink).not.toHaveBeenCalled()
  })
})

describe('toParleyError', () => {
  it('keeps a ParleyError as is', () => {
    const e = new ParleyError('x', 'not-configured')
    expect(toParleyError(e)).toBe(e)
  })

  it('turns a plain {code, message} (what the Electron preload rejects with) into a ParleyError with that code', () => {
    const e = toParleyError({ code: 'not-found', message: 'x' })
    expect(e).toBeInstanceOf(ParleyError)
    expect(e).toMatchObject({ code: 'not-found', message: 'x', name: 'ParleyError' })
    for (const code of ['invalid-argument', 'not-configured', 'failed', 'internal'] as const) {
      expect(toParleyError({ code, message: 'm' }).code).toBe(code)
    }
  })

  it('an unknown or missing code becomes failed; a string or nothing still gives a message', () => {
    expect(toParleyError({ code: 'SQLITE_BUSY', message: 'locked' })).toMatchObject({ code: 'failed', message: 'locked' })
    expect(toParleyError({ code: 42, message: 'm' })).toMatchObject({ code: 'failed' })
    expect(toParleyError(new Error('plain'))).toMatchObject({ code: 'failed', message: 'plain' })
    expect(toParleyError('just text')).toMatchObject({ code: 'failed', message: 'just text' })
    expect(toParleyError(null)).toMatchObject({ code: 'failed', message: 'Something went wrong.' })
    expect(toParleyError(undefined)).toMatchObject({ code: 'failed', message: 'Something went wrong.' })
  })
})

describe('createApiClient failure option', () => {
  const failing = async (): Promise<CallResult> => ({ ok: false, error: { code: 'not-found', message: 'No such thing.' } })

  it('rejects with what `failure` makes of the error (the preload passes a plain object)', async () => {
    const failure = vi.fn((e: { code: string; message: string }) => ({ ...e, plain: true }))
    const api = createApiClient(failing, () => () => {}, failure)
    const err = await api.conversations.open('bob').catch((e: unknown) => e)
    expect(failure).toHaveBeenCalledWith({ code: 'not-found', message: 'No such thing.' })
    expect(err).toEqual({ code: 'not-found', message: 'No such thing.', plain: true })
    expect(err).not.toBeInstanceOf(Error)
    // ...and on the other side of the bridge it becomes a ParleyError again, code intact.
    expect(toParleyError(err)).toMatchObject({ code: 'not-found', message: 'No such thing.' })
  })

  it('without the option it rejects with a ParleyError', async () => {
    const err = await createApiClient(failing, () => () => {}).conversations.open('bob').catch((e: unknown) => e)
    expect(err).toBeInstanceOf(ParleyError)
    expect(err).toMatchObject({ code: 'not-found' })
  })

  it('is not used for a successful call', async () => {
    const failure = vi.fn()
    const api = createApiClient(async () => ({ ok: true, value: 7 }), () => () => {}, failure)
    expect(await api.conversations.list()).toBe(7)
    expect(failure).not.toHaveBeenCalled()
  })
})
