import type { ISubscriptionMap } from 'mqtt'
import { describe, expect, it } from 'vitest'
import { silentLogger } from '../../../../src/main/core/kernel/log'
import { TopicRouter, type Route } from '../../../../src/main/core/mqtt/router'

/** Routes added and removed in batches (phone discovery's short-lived lookups). */
describe('TopicRouter.addAll / removeAll', () => {
  const route = (filter: string): Route => ({ filter, qos: 1, retained: 'accept', handle: () => {} })
  const make = (answer: boolean | undefined) => {
    const subscribed: ISubscriptionMap[] = []
    const unsubscribed: string[][] = []
    const router = new TopicRouter(
      {
        transaction: (fn) => fn(),
        subscribe: (f) => {
          subscribed.push(f)
          return answer === undefined ? undefined : Promise.resolve(answer)
        },
        unsubscribe: (f) => void unsubscribed.push(f),
      },
      silentLogger,
    )
    return { router, subscribed, unsubscribed }
  }

  it('subscribes to the new filters in one packet and resolves with the SUBACK verdict', async () => {
    const { router, subscribed } = make(true)
    router.add(route('a/1'), true)
    expect(await router.addAll([route('a/1'), route('a/2'), route('a/3')], true)).toBe(true)
    // a/1 was there already: only the two new ones are subscribed, together.
    expect(subscribed.slice(1)).toEqual([{ 'a/2': { qos: 1, rap: false }, 'a/3': { qos: 1, rap: false } }])
    expect(router.match('a/3')?.filter).toBe('a/3')
  })

  it('answers false when offline (routes kept for the next connection) or when the broker refused', async () => {
    const offline = make(true)
    expect(await offline.router.addAll([route('b/1')], false)).toBe(false)
    expect(offline.subscribed).toEqual([])
    expect(offline.router.has('b/1')).toBe(true)
    const refused = make(false)
    expect(await refused.router.addAll([route('b/2')], true)).toBe(false)
    const silent = make(undefined) // hooks that cannot tell
    expect(await silent.router.addAll([route('b/3')], true)).toBe(false)
  })

  it('removes several routes in one UNSUBSCRIBE, ignoring unknown ones', async () => {
    const { router, unsubscribed } = make(true)
    await router.addAll([route('c/1'), route('c/2')], true)
    router.removeAll(['c/1', 'c/2', 'c/3'], true)
    expect(unsubscribed).toEqual([['c/1', 'c/2']])
    expect(router.match('c/1')).toBeNull()
    router.removeAll(['c/1'], true)
    expect(unsubscribed).toHaveLength(1)
  })
})
