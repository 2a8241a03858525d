/**
 * The `parley` command's presence, receipts and refusals, as a script sees them:
 * the real bin against a real Mosquitto (one with an ACL for the refusal).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startMosquitto, type Mosquitto } from '../helpers/mosquitto'
import { waitFor } from '../helpers/core'
import { useCliLab } from './support/cli-lab'
import { parley } from './support/processes'

/** What the listen processes use: a killed one is noticed within seconds. */
const SHORT_KEEPALIVE = { PARLEY_KEEPALIVE_SECONDS: '2' }

describe('parley CLI: presence, receipts, refusals', () => {
  const { as, dataDir, start } = useCliLab('parley-cli-features-')
  /** A second broker, for the refusal: it denies what is sent to carol's inbox. */
  let strict: Mosquitto
  const listen = (user: string, extra: string[] = []) => start(['listen', ...as(user), '--verbose', ...extra], SHORT_KEEPALIVE)

  beforeAll(async () => {
    strict = await startMosquitto({ acl: ['topic readwrite #', 'topic deny IMS/carol/Inbox/Msg/#'] })
  })

  afterAll(async () => {
    await strict?.stop()
  })

  it('presence: online while bob listens, "offline, last seen …" once his process is killed', async () => {
    const never = await parley(['presence', 'nobody', ...as('alice')])
    expect(never).toMatchObject({ code: 0, stdout: 'offline, never seen\n' })

    const started = Date.now()
    const bob = listen('bob')
    await bob.waitFor('connection: connected')
    const online = await parley(['presence', 'bob', ...as('alice')])
    expect(online).toMatchObject({ code: 0, stdout: 'online\n' })
    const json = await parley(['presence', 'bob', ...as('alice'), '--json'])
    expect(JSON.parse(json.stdout)).toEqual({ user: 'bob', state: 'online', lastSeen: expect.any(String) })

    await bob.stop('SIGKILL')
    // No goodbye: the broker publishes bob's Last Will once it notices (keepalive 2 s) and the will delay passed.
    const offline = await waitFor(
      async () => {
        const r = await parley(['presence', 'bob', ...as('alice')])
        return r.stdout.startsWith('offline') ? r : null
      },
      'alice to see bob offline',
      20_000,
    )
    expect(offline.code).toBe(0)
    const m = /^offline, last seen (\S+)\n$/.exec(offline.stdout)
    expect(m).not.toBeNull()
    // When bob was there: within his run (how close to the kill is the core's business; see presence.test.ts).
    expect(Date.parse(m![1]!)).toBeGreaterThanOrEqual(started - 1_000)
    expect(Date.parse(m![1]!)).toBeLessThanOrEqual(Date.now())
    const asJson = JSON.parse((await parley(['presence', 'bob', ...as('alice'), '--json'])).stdout)
    expect(asJson).toEqual({ user: 'bob', state: 'offline', lastSeen: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/) })
    expect(Date.parse(asJson.lastSeen)).toBeGreaterThanOrEqual(started - 1_000)
    expect(Date.parse(asJson.lastSeen)).toBeLessThanOrEqual(Date.now())
  })

  it('presence: exit 3 when the broker cannot be reached in time', async () => {
    const r = await parley(['presence', 'bob', '--user', 'gus', '--broker', 'mqtt://127.0.0.1:9', '--data-dir', dataDir('gus'), '--timeout', '1'])
    expect(r.code).toBe(3)
    expect(r.stderr).toContain('could not reach the broker within 1 s')
    expect(r.stdout).toBe('')
  })

  it("a message to dave, who never connected, is delivered on his first listen while alice's listen runs", async () => {
    const sent = await parley(['send', ...as('alice'), '--to', 'dave', 'for when you join'])
    expect(sent.code).toBe(0)
    const before = JSON.parse((await parley(['history', '--user', 'alice', '--with', 'dave', '--data-dir', dataDir('alice'), '--json'])).stdout)
    expect(before).toMatchObject({ from: 'alice', text: 'for when you join', status: 'sent' })
    expect(before).not.toHaveProperty('error')

    const alice = listen('alice')
    await alice.waitFor('connection: connected')
    const dave = await parley(['listen', ...as('dave'), '--count', '1', '--timeout', '15'])
    expect(dave.code).toBe(0)
    expect(dave.stdout.trim().split('\n').map((l) => JSON.parse(l))).toEqual([
      expect.objectContaining({ from: 'alice', text: 'for when you join', conversation: 'dm:alice' }),
    ])
    await alice.waitFor(`message ${before.id} in dm:dave: delivered`) // dave's receipt reached alice's listen
    expect(await alice.stop('SIGTERM')).toBe(0)

    const history = await parley(['history', '--user', 'alice', '--with', 'dave', '--data-dir', dataDir('alice'), '--json'])
    expect(JSON.parse(history.stdout)).toMatchObject({ text: 'for when you join', status: 'delivered' })
    const text = await parley(['history', '--user', 'alice', '--with', 'dave', '--data-dir', dataDir('alice')])
    expect(text.stdout).toMatch(/ alice \(delivered\): for when you join\n$/)
    const daves = await parley(['history', '--user', 'dave', '--with', 'alice', '--data-dir', dataDir('dave'), '--json'])
    expect(JSON.parse(daves.stdout)).toMatchObject({ from: 'alice', status: 'received' })
  })

  it('send: a C1 control character in --to exits 2 with the reason; the next ordinary send succeeds', async () => {
    const r = await parley(['send', ...as('alice'), '--to', 'x\u0085y', 'hi'])
    expect(r.code).toBe(2)
    expect(r.stderr).toContain('parley: --to: A name cannot contain control or invisible characters')
    const ok = await parley(['send', ...as('alice'), '--to', 'bob', 'an ordinary message'])
    expect(ok.code).toBe(0)
    expect(ok.stderr).toContain('Sent to bob')
  })

  it('send: exit 1 with the reason when the broker refuses the message; history says so', async () => {
    const r = await parley(['send', ...as('erin', strict.url), '--to', 'carol', 'not allowed'])
    expect(r.code).toBe(1)
    expect(r.stderr).toContain('parley: Not sent to carol: The broker does not allow you to send this (not authorized).')
    const text = await parley(['history', '--user', 'erin', '--with', 'carol', '--data-dir', dataDir('erin')])
    expect(text.stdout).toMatch(/ erin \(not sent: The broker does not allow you to send this \(not authorized\)\): not allowed\n$/)
    const json = JSON.parse((await parley(['history', '--user', 'erin', '--with', 'carol', '--data-dir', dataDir('erin'), '--json'])).stdout)
    expect(json).toMatchObject({ status: 'failed', error: 'The broker does not allow you to send this (not authorized).' })
    // The refusal was for carol's inbox only.
    expect((await parley(['send', ...as('erin', strict.url), '--to', 'bob', 'allowed'])).code).toBe(0)
  })
})
