/**
 * Presence over a real Mosquitto: retained per-device state, modes and idleness,
 * several devices of one person, a clean goodbye and a Last Will after SIGKILL.
 */
import { describe, expect, it } from 'vitest'
import { freePort } from '../helpers/mosquitto'
import { FAST, publish, record, sleep, urlBroker, useMosquittoLab, waitFor } from '../helpers/core'
import { startNode } from './support/processes'

describe('presence', () => {
  const env = useMosquittoLab({ tuning: FAST })

  it("alice sees bob online from his retained presence, and bob's modes as he changes them", async () => {
    const bob = await env.lab.open('bob', urlBroker(env.broker.url))
    await bob.connected()
    // Retained: the broker holds bob's state for whoever asks later.
    const raw = await env.lab.client(env.broker.url)
    const held = await record(raw, 'IMS/bob/Presence/+')
    await waitFor(() => held.length === 1, "bob's retained presence")
    expect(held[0]).toMatchObject({ retain: true })
    expect(JSON.parse(held[0]!.payload.toString())).toMatchObject({ type: 'presence', from: 'bob', body: { state: 'online' } })

    const alice = await env.lab.open('alice', urlBroker(env.broker.url))
    await alice.connected()
    expect(await alice.services.presence.get('bob')).toMatchObject({ user: 'bob' }) // starts following bob
    await alice.presenceBecomes('bob', 'online')

    expect(await bob.services.presence.setMode('away')).toEqual({ mode: 'away', idle: false, state: 'away' })
    await alice.presenceBecomes('bob', 'away')
    await bob.services.presence.setMode('auto')
    await alice.presenceBecomes('bob', 'online')
    await bob.services.presence.reportIdle(true)
    expect(await bob.services.presence.mine()).toEqual({ mode: 'auto', idle: true, state: 'away' })
    await alice.presenceBecomes('bob', 'away')
    await bob.services.presence.setMode('dnd') // do not disturb wins over idleness
    await alice.presenceBecomes('bob', 'dnd')
    await bob.services.presence.setMode('auto')
    await bob.services.presence.reportIdle(false)
    await alice.presenceBecomes('bob', 'online')
    // Each change reached alice as an event, in order, and none said offline.
    const seen = alice.presences('bob').map((p) => p.state)
    expect(seen.filter((s, i) => s !== seen[i - 1])).toEqual(['online', 'away', 'online', 'away', 'dnd', 'online'])
    // The mode is a preference: it survives a restart.
    await bob.services.presence.setMode('dnd')
    await env.lab.close(bob)
    const again = await env.lab.open('bob', undefined, bob.dataDir)
    expect((await again.services.presence.mine()).mode).toBe('dnd')
    await alice.presenceBecomes('bob', 'dnd')
  })

  it('bob with two devices is online while either is connected, offline only when both are gone', async () => {
    const alice = await env.lab.open('alice2', urlBroker(env.broker.url))
    await alice.connected()
    const laptop = await env.lab.open('bob2-laptop', urlBroker(env.broker.url), { user: 'bob2' })
    const phone = await env.lab.open('bob2-phone', urlBroker(env.broker.url), { user: 'bob2' })
    await laptop.connected()
    await phone.connected()
    await alice.presenceBecomes('bob2', 'online')

    const raw = await env.lab.client(env.broker.url)
    const devices = await record(raw, 'IMS/bob2/Presence/+')
    await waitFor(() => devices.length === 2, 'both devices retained')
    expect(new Set(devices.map((d) => d.topic)).size).toBe(2)

    await env.lab.close(laptop)
    await waitFor(() => devices.some((d) => JSON.parse(d.payload.toString()).body.state === 'offline'), "the laptop's goodbye")
    await sleep(300)
    expect((await alice.services.presence.get('bob2')).state).toBe('online')
    expect(alice.presences('bob2').some((p) => p.state === 'offline')).toBe(false)

    const before = Date.now()
    await env.lab.close(phone)
    const gone = await alice.presenceBecomes('bob2', 'offline')
    expect(gone.lastSeen).toBeGreaterThanOrEqual(before - 1_000)
    expect(gone.lastSeen).toBeLessThanOrEqual(Date.now())
  })

  it('a clean close says offline with the time; someone never seen is offline, never seen', async () => {
    const alice = await env.lab.open('alice3', urlBroker(env.broker.url))
    const bob = await env.lab.open('bob3', urlBroker(env.broker.url))
    await alice.connected()
    await bob.connected()
    await alice.presenceBecomes('bob3', 'online')
    const closing = Date.now()
    await env.lab.close(bob)
    const p = await alice.presenceBecomes('bob3', 'offline', 3_000) // the goodbye, not a Last Will after a keepalive
    expect(p.lastSeen).toBeGreaterThanOrEqual(closing - 1_000)
    expect(p.lastSeen).toBeLessThanOrEqual(Date.now())
    expect(await alice.services.presence.get('nobody3')).toEqual({ user: 'nobody3', state: 'offline', lastSeen: null })
    await sleep(300)
    expect(await alice.services.presence.get('nobody3')).toEqual({ user: 'nobody3', state: 'offline', lastSeen: null })

    // Across a restart alice remembers when bob3 was last seen (he is still offline).
    await env.lab.close(alice)
    const later = await env.lab.open('alice3', undefined, alice.dataDir)
    expect(await later.services.presence.get('bob3')).toMatchObject({ state: 'offline', lastSeen: p.lastSeen })
  })

  it('bob killed with SIGKILL: his Last Will tells alice he is offline within 1.5 keepalives', async () => {
    const keepaliveSeconds = 2
    const willDelaySeconds = 1
    const alice = await env.lab.open('alice4', urlBroker(env.broker.url))
    await alice.connected()
    await alice.services.presence.get('bob4')
    const bob = startNode({ dataDir: env.lab.dir('bob4'), user: 'bob4', url: env.broker.url, tuning: { keepaliveSeconds, willDelaySeconds } })
    try {
      await bob.waitFor('connected', 20_000)
      await alice.presenceBecomes('bob4', 'online')
      const killed = Date.now()
      await bob.stop('SIGKILL')
      // The kernel closes a killed process's socket, so the broker notices at once and sends the
      // will after its delay; a hung network would take up to 1.5 keepalives plus the delay.
      const limitMs = 1.5 * keepaliveSeconds * 1000
      const p = await alice.presenceBecomes('bob4', 'offline', limitMs + willDelaySeconds * 1000 + 2_000)
      const tookMs = Date.now() - killed
      expect(tookMs).toBeLessThanOrEqual(limitMs)
      expect(tookMs).toBeGreaterThanOrEqual(willDelaySeconds * 1000) // never before the will delay
      expect(p.lastSeen).toBeGreaterThanOrEqual(killed)
    } finally {
      await bob.stop('SIGKILL')
    }
  })

  // A Last Will carries only the time it was set at connect; a retained one must not overwrite the
  // later "last seen" alice already knew.
  it('a retained Last Will does not move "last seen" back before the last time alice saw bob present', async () => {
    const port = await freePort()
    const relay = await env.lab.relay(port, env.broker.port)
    let alice = await env.lab.open('alice5', urlBroker(env.broker.url))
    const bob = await env.lab.open('bob5', urlBroker(`mqtt://127.0.0.1:${port}`))
    await alice.connected()
    await bob.connected()
    await alice.presenceBecomes('bob5', 'online')
    await sleep(1_000)
    const awayAt = Date.now()
    await bob.services.presence.setMode('away')
    expect((await alice.presenceBecomes('bob5', 'away')).lastSeen).toBeGreaterThanOrEqual(awayAt)
    await env.lab.close(alice)

    // bob vanishes while alice is away: his will (offline, retained) is all she will find.
    const raw = await env.lab.client(env.broker.url)
    const held = await record(raw, 'IMS/bob5/Presence/+')
    await relay.close()
    await waitFor(() => held.some((h) => JSON.parse(h.payload.toString()).body.state === 'offline'), "bob5's Last Will")

    alice = await env.lab.open('alice5', undefined, alice.dataDir)
    // What she remembers answers at once; wait for what the broker holds (the will) to be taken in.
    await alice.connected()
    await alice.services.presence.get('bob5') // follow him again
    await waitFor(() => alice.log.lines.some((l) => l.includes('presence') && l.includes('"user":"bob5"') && l.includes('"retained":true')), 'the retained will to reach alice')
    const p = await alice.services.presence.get('bob5')
    expect(p.state).toBe('offline')
    // At least when alice last saw him (away, at awayAt), not the will's connect time ~1 s earlier.
    expect(p.lastSeen).toBeGreaterThanOrEqual(awayAt)
  })

  it('bob moves to another broker: he says goodbye on the old one, so alice sees him offline', async () => {
    const alice = await env.lab.open('alice6', urlBroker(env.broker.url))
    const bob = await env.lab.open('bob6', urlBroker(env.broker.url))
    await alice.connected()
    await bob.connected()
    await alice.services.presence.get('bob6')
    await alice.presenceBecomes('bob6', 'online')
    const port = await freePort()
    await bob.services.account.setup({ user: 'bob6', broker: { kind: 'url', url: `mqtt://127.0.0.1:${port}` } })
    const p = await alice.presenceBecomes('bob6', 'offline')
    expect(p.lastSeen).not.toBeNull()
  })

  it('someone publishing presence for many made-up devices of mallory gets 16 of them followed, no more', async () => {
    const alice = await env.lab.open('alice9', urlBroker(env.broker.url))
    await alice.connected()
    const raw = await env.lab.client(env.broker.url)
    for (let i = 0; i < 20; i++) {
      const e = { v: 1, id: '01900000-0000-7000-8000-' + String(i).padStart(12, '0'), type: 'presence', from: 'mallory9', ts: Date.now(), body: { state: 'online' } }
      await publish(raw, `IMS/mallory9/Presence/dev${i}`, JSON.stringify(e), { retain: true })
    }
    await alice.services.presence.get('mallory9')
    await waitFor(() => alice.log.lines.some((l) => l.includes('more than 16 devices')), 'the cap to apply')
    await sleep(300)
    const taken = alice.log.lines.filter((l) => l.includes('debug presence') && l.includes('"user":"mallory9"'))
    expect(taken).toHaveLength(16)
    for (let i = 0; i < 20; i++) await publish(raw, `IMS/mallory9/Presence/dev${i}`, '', { retain: true })
  })
})
