/**
 * A message that makes the broker hang up (here: bigger than Mosquitto's
 * max_packet_size) must not block the outbox on every reconnect: it is found,
 * marked failed with a reason, and what was queued behind it still arrives.
 */
import { describe, expect, it } from 'vitest'
import { urlBroker, useMosquittoLab, waitFor } from '../helpers/core'

describe('a poison message', () => {
  const env = useMosquittoLab({ config: ['max_packet_size 5000'] })

  it('gets the client disconnected twice: it fails, and the messages around it are delivered', async () => {
    const tuning = { stableAfterMs: 500 }
    const bob = await env.lab.open('bob', urlBroker(env.broker.url), { tuning })
    const alice = await env.lab.open('alice', urlBroker(env.broker.url), { tuning })
    await bob.connected()
    await alice.connected()
    const before = await alice.send('bob', 'small before')
    const poison = await alice.send('bob', 'x'.repeat(10_000))
    const after = await alice.send('bob', 'small after')

    const failed = await waitFor(async () => (await alice.history('bob')).find((m) => m.id === poison.id && m.status === 'failed'), 'the poison message to fail', 20_000)
    expect(failed.error).toMatch(/closed the connection/)
    await waitFor(async () => {
      const texts = (await bob.history('alice')).map((m) => m.text)
      return texts.includes('small before') && texts.includes('small after')
    }, 'bob to get the messages around it', 20_000)
    await waitFor(async () => {
      const statuses = Object.fromEntries((await alice.history('bob')).map((m) => [m.id, m.status]))
      return [statuses[before.id], statuses[after.id]].every((s) => s === 'delivered' || s === 'read')
    }, 'alice to see both delivered')
    expect((await bob.history('alice')).some((m) => m.text.startsWith('xxxx'))).toBe(false)
  })
})
