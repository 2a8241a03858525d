import { describe, expect, expectTypeOf, it } from 'vitest'
import { EventBus } from '../../../../src/main/core/kernel/event-bus'

interface Events {
  message: { id: string }
  count: number
  idle: boolean
}

describe('EventBus', () => {
  it('on() gets only its event, with its payload', () => {
    const bus = new EventBus<Events>()
    const messages: { id: string }[] = []
    const counts: number[] = []
    bus.on('message', (m) => {
      expectTypeOf(m).toEqualTypeOf<{ id: string }>()
      messages.push(m)
    })
    bus.on('count', (n) => counts.push(n))
    bus.emit('message', { id: 'a' })
    bus.emit('count', 2)
    bus.emit('idle', true)
    expect(messages).toEqual([{ id: 'a' }])
    expect(counts).toEqual([2])
  })

  it('onAny() gets every event with its name, before the named listeners', () => {
    const bus = new EventBus<Events>()
    const order: string[] = []
    bus.on('count', () => order.push('named'))
    bus.onAny((event, payload) => order.push(`any ${event} ${JSON.stringify(payload)}`))
    bus.emit('count', 1)
    bus.emit('idle', false)
    expect(order).toEqual(['any count 1', 'named', 'any idle false'])
  })

  it('a throwing listener does not stop the others (named or any)', () => {
    const bus = new EventBus<Events>()
    const got: string[] = []
    bus.onAny(() => {
      throw new Error('closed window')
    })
    bus.onAny((e) => got.push(`any ${e}`))
    bus.on('count', () => {
      throw new Error('broken')
    })
    bus.on('count', (n) => got.push(`named ${n}`))
    expect(() => bus.emit('count', 3)).not.toThrow()
    expect(got).toEqual(['any count', 'named 3'])
  })

  it('unsubscribe removes just that listener, and twice is harmless', () => {
    const bus = new EventBus<Events>()
    const a: number[] = []
    const b: number[] = []
    const any: string[] = []
    const offA = bus.on('count', (n) => a.push(n))
    bus.on('count', (n) => b.push(n))
    const offAny = bus.onAny((e) => any.push(e))
    expect(bus.listenerCount).toBe(3)
    bus.emit('count', 1)
    offA()
    offA()
    offAny()
    bus.emit('count', 2)
    expect(a).toEqual([1])
    expect(b).toEqual([1, 2])
    expect(any).toEqual(['count'])
    expect(bus.listenerCount).toBe(1)
  })

  it('the same function on two events is two subscriptions', () => {
    const bus = new EventBus<Events>()
    const got: unknown[] = []
    const l = (p: unknown) => got.push(p)
    const off = bus.on('count', l)
    bus.on('idle', l)
    off()
    bus.emit('count', 1)
    bus.emit('idle', true)
    expect(got).toEqual([true])
  })

  it('a listener added during an emit does not break it', () => {
    const bus = new EventBus<Events>()
    const got: number[] = []
    bus.on('count', (n) => {
      got.push(n)
      if (n === 1) bus.on('count', (m) => got.push(m * 10))
    })
    expect(() => bus.emit('count', 1)).not.toThrow()
    bus.emit('count', 2)
    expect(got.slice(-2)).toEqual([2, 20])
  })
})
