/**
 * The presence settings of the settings screen over a real Mosquitto: "appear
 * offline" shows this device offline to others (with the "last seen" of when it was
 * chosen, across reconnects and restarts) while it keeps chatting; and the stored
 * "away after N minutes" the renderer's idle watcher uses.
 */
import { describe, expect, it } from 'vitest'
import { FAST, record, sleep, urlBroker, useMosquittoLab, waitFor } from '../helpers/core'

describe('presence settings', () => {
  const env = useMosquittoLab({ tuning: FAST })

  it('appearing offline: others see offline with a frozen last seen, while messages still flow both ways', async () => {
    const alice = await env.lab.open('alice', urlBroker(env.broker.url))
    const bob = await env.lab.open('bob', urlBroker(env.broker.url))
    await alice.connected()
    await bob.connected()
    await alice.services.presence.get('bob')
    await alice.presenceBecomes('bob', 'online')

    const before = Date.now()
    expect(await bob.services.presence.setSettings({ appearOffline: true })).toEqual({ awayAfterMinutes: 5, appearOffline: true })
    const hidden = await alice.presenceBecomes('bob', 'offline')
    expect(hidden.lastSeen).toBeGreaterThanOrEqual(before - 10)
    expect(hidden.lastSeen).toBeLessThanOrEqual(Date.now())
    expect(await bob.services.presence.mine()).toMatchObject({ state: 'offline' })
    expect(bob.status.state).toBe('connected')

    // Still connected: messages go both ways.
    await alice.send('bob', 'are you there?')
    await waitFor(async () => (await bob.history('alice')).length === 1, 'bob to get the message while hidden')
    await bob.send('alice', 'yes, quietly')
    await waitFor(async () => (await alice.history('bob')).length === 2, "alice to get bob's answer")

    // Choosing away while hidden changes nothing others see; the retained state says offline with the same time.
    await bob.services.presence.setMode('away')
    const raw = await env.lab.client(env.broker.url)
    const held = await record(raw, 'IMS/bob/Presence/+')
    await waitFor(() => held.length >= 1, "bob's retained presence")
    expect(JSON.parse(held.at(-1)!.payload.toString()).body).toEqual({ state: 'offline', lastSeen: hidden.lastSeen })

    // Restarted, bob is still hidden, and alice still sees the moment he chose it.
    await env.lab.close(bob)
    const again = await env.lab.open('bob', undefined, bob.dataDir)
    await again.connected()
    expect(await again.services.presence.settings()).toEqual({ awayAfterMinutes: 5, appearOffline: true })
    await sleep(300)
    expect(await alice.services.presence.get('bob')).toMatchObject({ state: 'offline', lastSeen: hidden.lastSeen })

    // Back: away (the mode chosen meanwhile), then online.
    await again.services.presence.setSettings({ appearOffline: false })
    await alice.presenceBecomes('bob', 'away')
    await again.services.presence.setMode('auto')
    await alice.presenceBecomes('bob', 'online')
    expect(await again.services.presence.mine()).toEqual({ mode: 'auto', idle: false, state: 'online' })
  })

  it('stores "away after N minutes" (1 to 120), and refuses anything else', async () => {
    const carol = await env.lab.open('carol', urlBroker(env.broker.url))
    expect(await carol.services.presence.settings()).toEqual({ awayAfterMinutes: 5, appearOffline: false })
    expect(await carol.services.presence.setSettings({ awayAfterMinutes: 12 })).toEqual({ awayAfterMinutes: 12, appearOffline: false })
    for (const bad of [0, 121, 1.5]) {
      await expect(carol.services.presence.setSettings({ awayAfterMinutes: bad })).rejects.toThrow()
    }
    await env.lab.close(carol)
    const again = await env.lab.open('carol', undefined, carol.dataDir)
    expect((await again.services.presence.settings()).awayAfterMinutes).toBe(12)
  })
})
