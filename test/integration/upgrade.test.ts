/**
 * Upgrading from a Parley whose MQTT client id was `GID_PARLEY@@@{public device id}`:
 * the new client id has a secret part, and what the broker had queued for the old
 * session is taken over once, after which that session is gone.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { encodeEnvelope, textEnvelope } from '../../src/main/core/protocol/codec'
import { useMosquittoLab, waitFor } from '../helpers/core'

const DEVICE = '0123456789abcdef'

describe('upgrade from a client id without a secret', () => {
  const env = useMosquittoLab()

  /**
   * What an earlier Parley left for `user`: settings without clientSecret, and a
   * persistent broker session under the old client id holding one message from alice.
   */
  async function leftByEarlierParley(user: string, device: string) {
    const dataDir = env.lab.dir(user)
    mkdirSync(dataDir, { recursive: true, mode: 0o700 })
    const settingsPath = join(dataDir, 'settings.json')
    writeFileSync(
      settingsPath,
      JSON.stringify({ version: 1, user, broker: { kind: 'url', url: env.broker.url }, root: 'IMS', groupId: 'GID_PARLEY', deviceId: device }),
      { mode: 0o600 },
    )
    const oldId = `GID_PARLEY@@@${device}`
    const old = await env.lab.client(env.broker.url, { clientId: oldId, clean: false, properties: { sessionExpiryInterval: 3600 } })
    await old.subscribeAsync(`IMS/${user}/Inbox/Msg/+`, { qos: 1 })
    await old.endAsync()
    // Sent while the user was "away" under the old client id: only that session holds it.
    const pub = await env.lab.client(env.broker.url)
    const queued = textEnvelope('alice', 'alice-device', 'Sent before the upgrade', 1)
    await pub.publishAsync(`IMS/${user}/Inbox/Msg/alice`, encodeEnvelope(queued), { qos: 1 })
    const settings = () => JSON.parse(readFileSync(settingsPath, 'utf8')) as { clientSecret?: string; legacyClientId?: string }
    return { dataDir, oldId, queued, settings }
  }

  it("takes over what the broker queued for the old client id, once, and ends that session", async () => {
    const { dataDir, oldId, queued, settings: read } = await leftByEarlierParley('bob', DEVICE)
    const bob = await env.lab.open('bob', undefined, { dataDir, tuning: { legacyDrain: { quietMs: 300 } } })
    await bob.connected()
    const got = await waitFor(async () => (await bob.history('alice')).find((m) => m.id === queued.id), 'the queued message to arrive')
    expect(got.text).toBe('Sent before the upgrade')

    const settings = await waitFor(() => {
      const s = read()
      return s.legacyClientId === undefined && s.clientSecret ? s : null
    }, 'the old client id to be forgotten')
    expect(settings.clientSecret).toMatch(/^[0-9a-f]{32}$/)
    expect(bob.log.lines.some((l) => l.includes('took over what the broker kept for the old client id') && l.includes('"messages":1'))).toBe(true)

    // The old session is gone: connecting with its id finds nothing kept.
    const probe = await env.lab.client(env.broker.url, { clientId: oldId, clean: false, properties: { sessionExpiryInterval: 60 } })
    expect((probe as unknown as { connackPacket?: { sessionPresent: boolean } }).connackPacket?.sessionPresent ?? null).toBe(false)
    expect((await bob.history('alice')).filter((m) => m.id === queued.id)).toHaveLength(1)
  })

  it('a change of settings during the take-over does not forget the old client id: it is drained after the reconnect', async () => {
    const { dataDir, oldId, queued, settings: read } = await leftByEarlierParley('carol', 'fedcba9876543210')

    // A long quiet period keeps the first take-over running while the settings change.
    const carol = await env.lab.open('carol', undefined, { dataDir, tuning: { legacyDrain: { quietMs: 1500 } } })
    await carol.connected()
    await carol.services.account.setup({ user: 'carol', broker: { kind: 'url', url: env.broker.url, username: 'carol' } })
    expect(read().legacyClientId).toBe(oldId)

    await waitFor(async () => (await carol.history('alice')).find((m) => m.id === queued.id), 'the queued message', 15_000)
    await waitFor(() => read().legacyClientId === undefined, 'the old id to be drained and forgotten', 15_000)
  })
})
