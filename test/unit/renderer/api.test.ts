import { afterEach, describe, expect, it, vi } from 'vitest'
import { connectApi, normaliseApi } from '../../../src/renderer/src/api'
import { ParleyError } from '../../../src/shared/rpc'
import { fakeApi } from './fake-api'

describe('api.ts', () => {
  afterEach(() => vi.unstubAllGlobals())

  it('turns a plain {code, message} rejection (Electron contextBridge) into a ParleyError with that code', async () => {
    const { api, parley } = fakeApi()
    api.conversations.open.mockRejectedValue({ code: 'not-found', message: 'No such person.' })
    const err = await normaliseApi(parley)
      .conversations.open('bob')
      .catch((e: unknown) => e)
    expect(err).toBeInstanceOf(ParleyError)
    expect(err).toMatchObject({ code: 'not-found', message: 'No such person.' })
  })

  it('keeps ParleyErrors, and makes anything else a "failed" ParleyError', async () => {
    const { api, parley } = fakeApi()
    const wrapped = normaliseApi(parley)
    const original = new ParleyError('Bad name.', 'invalid-argument')
    api.conversations.open.mockRejectedValueOnce(original)
    await expect(wrapped.conversations.open('x')).rejects.toBe(original)
    api.conversations.open.mockRejectedValueOnce(new Error('socket closed'))
    await expect(wrapped.conversations.open('x')).rejects.toMatchObject({ name: 'ParleyError', code: 'failed', message: 'socket closed' })
    api.conversations.open.mockImplementationOnce(() => {
      throw 'thrown synchronously'
    })
    await expect(wrapped.conversations.open('x')).rejects.toMatchObject({ code: 'failed', message: 'thrown synchronously' })
    api.messages.send.mockRejectedValueOnce({ code: 'bogus', message: 'Odd.' })
    await expect(wrapped.messages.send({ conversationId: 'dm:bob', text: 'hi' })).rejects.toMatchObject({ code: 'failed', message: 'Odd.' })
  })

  it('passes answers, arguments and events through unchanged', async () => {
    const { api, parley, emit } = fakeApi()
    const wrapped = normaliseApi(parley)
    await expect(wrapped.account.getState()).resolves.toMatchObject({ user: 'alice' })
    await wrapped.typing.typing('dm:bob')
    expect(api.typing.typing).toHaveBeenCalledWith('dm:bob')
    const seen: unknown[] = []
    const off = wrapped.on('typing', (n) => seen.push(n))
    emit('typing', { conversationId: 'dm:bob', user: 'bob', typing: true })
    off()
    emit('typing', { conversationId: 'dm:bob', user: 'bob', typing: false })
    expect(seen).toEqual([{ conversationId: 'dm:bob', user: 'bob', typing: true }])
    expect(Object.isFrozen(wrapped)).toBe(true)
  })

  it('connectApi answers null without a window.parley, and a normalised API with one', () => {
    expect(connectApi()).toBeNull()
    vi.stubGlobal('window', {})
    expect(connectApi()).toBeNull()
    const { parley } = fakeApi()
    vi.stubGlobal('window', { parley })
    expect(connectApi()?.conversations.list).toBeTypeOf('function')
  })
})
