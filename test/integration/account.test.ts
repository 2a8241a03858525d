/**
 * The account's lifecycle over a real Mosquitto: "Test connection" with a throwaway
 * client (a working broker, a closed port, wrong credentials, something that is not
 * MQTT), and signing out — keeping the history for the next sign-in as the same
 * user, or deleting it — online and offline.
 */
import { execFileSync } from 'node:child_process'
import { chmodSync, existsSync, mkdtempSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { FAST, record, urlBroker, useMosquittoLab, waitFor } from '../helpers/core'
import { freePort, startMosquitto, type Mosquitto } from '../helpers/mosquitto'

const PASSWD_BIN = ['/usr/bin/mosquitto_passwd', '/usr/sbin/mosquitto_passwd'].find((p) => existsSync(p))

describe('testing a broker', () => {
  const env = useMosquittoLab({ tuning: FAST })
  let locked: Mosquitto | undefined
  let passwdDir: string | undefined

  beforeAll(async () => {
    if (!PASSWD_BIN) throw new Error('mosquitto_passwd is not installed (it comes with mosquitto).')
    passwdDir = mkdtempSync(join(tmpdir(), 'parley-passwd-'))
    const file = join(passwdDir, 'passwd')
    execFileSync(PASSWD_BIN, ['-c', '-b', file, 'carol', 'right-password'])
    chmodSync(file, 0o600)
    locked = await startMosquitto({ config: ['allow_anonymous false', `password_file ${file}`] })
  })

  afterAll(async () => {
    await locked?.stop()
    if (passwdDir) rmSync(passwdDir, { recursive: true, force: true })
  })

  it('says OK with the protocol version for a running broker, and leaves no session or retained message behind', async () => {
    const node = await env.lab.open('tester')
    const raw = await env.lab.client(env.broker.url)
    const seen = await record(raw, '#')
    const started = Date.now()
    const result = await node.services.account.testBroker(urlBroker(env.broker.url))
    expect(result).toEqual({ ok: true, detail: 'Connected with MQTT 5.', protocolVersion: 5 })
    expect(Date.now() - started).toBeLessThan(5_000)
    // Nothing was published (no will, no presence), and the engine is still not set up.
    expect(seen).toEqual([])
    expect((await node.services.account.getState()).configured).toBe(false)
  })

  it('explains a closed port within the time limit, without touching the running session', async () => {
    const node = await env.lab.open('alice', urlBroker(env.broker.url))
    await node.connected()
    const port = await freePort()
    const result = await node.services.account.testBroker(urlBroker(`mqtt://127.0.0.1:${port}`))
    expect(result).toEqual({ ok: false, detail: `Nothing answers at mqtt://127.0.0.1:${port}. Is the broker running?`, protocolVersion: null })
    expect(node.status.state).toBe('connected')
    expect((await node.services.account.getState()).broker).toMatchObject({ kind: 'url', url: env.broker.url })
  })

  it('says the credentials are wrong, and OK with the right ones', async () => {
    const node = await env.lab.open('carol')
    const wrong = await node.services.account.testBroker(urlBroker(locked!.url, { username: 'carol', password: 'nope' }))
    expect(wrong.ok).toBe(false)
    expect(wrong.detail).toMatch(/^The broker refused the user name or password/)
    const anonymous = await node.services.account.testBroker(urlBroker(locked!.url))
    expect(anonymous.ok).toBe(false)
    expect(anonymous.detail).toMatch(/refused the user name or password/)
    const right = await node.services.account.testBroker(urlBroker(locked!.url, { username: 'carol', password: 'right-password' }))
    expect(right).toMatchObject({ ok: true, protocolVersion: 5 })
  })

  it('keeps the stored password when asked to, for the same user name only', async () => {
    const node = await env.lab.open('carol', urlBroker(locked!.url, { username: 'carol', password: 'right-password' }))
    await node.connected()
    // The settings screen never sees the password: "leave it empty to keep it".
    const kept = await node.services.account.testBroker(urlBroker(locked!.url, { username: 'carol' }), { keepSecrets: true })
    expect(kept.ok).toBe(true)
    const notKept = await node.services.account.testBroker(urlBroker(locked!.url, { username: 'carol' }), { keepSecrets: false })
    expect(notKept.ok).toBe(false)
    const otherUser = await node.services.account.testBroker(urlBroker(locked!.url, { username: 'dave' }), { keepSecrets: true })
    expect(otherUser.ok).toBe(false)
    // Saving with keepSecrets reconnects with the stored password.
    await node.services.account.setup({ user: 'carol', broker: urlBroker(locked!.url, { username: 'carol' }) }, { keepSecrets: true })
    await node.connected()
    expect((await node.services.account.getState()).broker).toMatchObject({ username: 'carol', hasPassword: true })
  })

  it('never sends the stored password to another server: a changed URL needs the password again', async () => {
    const node = await env.lab.open('carol', urlBroker(locked!.url, { username: 'carol', password: 'right-password' }))
    await node.connected()
    // Another "broker" that writes down what it is sent, then hangs up.
    let heard = Buffer.alloc(0)
    const other = env.lab.track(
      createServer((socket) =>
        socket.on('data', (d) => {
          heard = Buffer.concat([heard, d])
          socket.destroy()
        }),
      ),
    )
    const port = await new Promise<number>((resolve) => other.listen(0, '127.0.0.1', () => resolve((other.address() as { port: number }).port)))
    const elsewhere = await node.services.account.testBroker(urlBroker(`mqtt://127.0.0.1:${port}`, { username: 'carol' }), { keepSecrets: true })
    expect(elsewhere.ok).toBe(false)
    expect(heard.includes('carol')).toBe(true) // it did connect and say who
    expect(heard.includes('right-password')).toBe(false)
    // The same host reached another way (plain instead of TLS, another port) is another server too.
    const sameHostOtherScheme = await node.services.account.testBroker(urlBroker(locked!.url.replace('mqtt://', 'ws://'), { username: 'carol' }), { keepSecrets: true })
    expect(sameHostOtherScheme.ok).toBe(false)
  })

  it('gives up on something that accepts TCP but never speaks MQTT, within 5 seconds', async () => {
    // Reads what it gets (so it sees the client hang up) and never answers.
    const silent = env.lab.track(createServer((socket) => socket.resume()))
    const port = await new Promise<number>((resolve) =>
      silent.listen(0, '127.0.0.1', () => resolve((silent.address() as { port: number }).port)),
    )
    const node = await env.lab.open('dave')
    const started = Date.now()
    const result = await node.services.account.testBroker(urlBroker(`mqtt://127.0.0.1:${port}`))
    const took = Date.now() - started
    expect(result.ok).toBe(false)
    expect(result.detail).toMatch(/did not answer/)
    expect(took).toBeGreaterThan(4_000)
    expect(took).toBeLessThan(6_500)
  })

  it('refuses settings that are not a broker before trying anything', async () => {
    const node = await env.lab.open('erin')
    await expect(node.services.account.testBroker({ kind: 'url', url: 'http://example.com' })).rejects.toThrow(/broker URL like mqtt:/)
  })

  it('for the built-in broker, tells whether its port is free', async () => {
    const node = await env.lab.open('frank')
    const port = await freePort()
    expect(await node.services.account.testBroker({ kind: 'embedded', port, shareOnLan: false })).toMatchObject({
      ok: true,
      detail: `Port ${port} is free: Parley will start its built-in broker there.`,
    })
    expect(await node.services.account.testBroker({ kind: 'embedded', port: env.broker.port, shareOnLan: false })).toMatchObject({ ok: true })
  })
})

describe('signing out', () => {
  const env = useMosquittoLab({ tuning: FAST })

  async function chat(alice: Awaited<ReturnType<typeof env.lab.open>>, bob: Awaited<ReturnType<typeof env.lab.open>>): Promise<void> {
    await alice.connected()
    await bob.connected()
    await alice.send(bob.name, 'before signing out')
    await waitFor(async () => (await bob.history(alice.name)).length === 1, 'bob to get the message')
  }

  it('keeps the history: settings.json is gone, the set-up screen is back, and alice signing in again finds her conversation', async () => {
    const alice = await env.lab.open('alice', urlBroker(env.broker.url))
    const bob = await env.lab.open('bob', urlBroker(env.broker.url))
    await chat(alice, bob)
    await alice.services.presence.get('alice') // bob follows alice through the conversation
    await bob.presenceBecomes('alice', 'online')

    const state = await alice.services.account.signOut({ deleteHistory: false })
    expect(state).toMatchObject({ configured: false, user: null, broker: null, connection: { state: 'idle' } })
    expect(existsSync(join(alice.dataDir, 'settings.json'))).toBe(false)
    expect(alice.of('account').at(-1)).toMatchObject({ configured: false })
    // The goodbye reached bob.
    await bob.presenceBecomes('alice', 'offline')
    // Still there while signed out.
    expect(alice.query('SELECT text FROM messages')).toEqual([{ text: 'before signing out' }])

    // Someone else cannot take over her history.
    await expect(alice.services.account.setup({ user: 'mallory', broker: urlBroker(env.broker.url) })).rejects.toThrow(
      /belongs to alice/,
    )
    await alice.services.account.setup({ user: 'alice', broker: urlBroker(env.broker.url) })
    await alice.connected()
    expect((await alice.history('bob')).map((m) => m.text)).toEqual(['before signing out'])
    await bob.send('alice', 'welcome back')
    await waitFor(async () => (await alice.history('bob')).length === 2, 'alice to get the new message')
  })

  it('deletes the history: every table is empty, the schema stays, and anyone can set up afresh', async () => {
    const alice = await env.lab.open('alice2', urlBroker(env.broker.url))
    const bob = await env.lab.open('bob2', urlBroker(env.broker.url))
    await chat(alice, bob)
    await alice.services.presence.setMode('dnd')
    const version = alice.query<{ user_version: number }>('PRAGMA user_version')[0]!.user_version

    await alice.services.account.signOut({ deleteHistory: true })
    expect(existsSync(join(alice.dataDir, 'settings.json'))).toBe(false)
    const tables = alice.query<{ name: string }>(`SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`)
    expect(tables.length).toBeGreaterThan(5)
    for (const { name } of tables) expect(alice.query(`SELECT count(*) AS n FROM "${name}"`), name).toEqual([{ n: 0 }])
    expect(alice.query<{ user_version: number }>('PRAGMA user_version')[0]!.user_version).toBe(version)

    // Another person may now use this data directory, from a clean slate.
    await alice.services.account.setup({ user: 'carol2', broker: urlBroker(env.broker.url) })
    await alice.connected()
    expect(await alice.services.conversations.list()).toEqual([])
    expect((await alice.services.presence.mine()).mode).toBe('auto')
  })

  it('works offline, and the history survives a restart of the signed-out engine', async () => {
    const relayPort = await freePort()
    const relay = await env.lab.relay(relayPort, env.broker.port)
    const url = `mqtt://127.0.0.1:${relayPort}`
    const alice = await env.lab.open('alice3', urlBroker(url))
    const bob = await env.lab.open('bob3', urlBroker(env.broker.url))
    await chat(alice, bob)
    await relay.close()
    await waitFor(() => alice.status.state !== 'connected', 'alice to lose the broker')

    const state = await alice.services.account.signOut({ deleteHistory: false })
    expect(state.configured).toBe(false)
    await env.lab.close(alice)
    const again = await env.lab.open('alice3', undefined, alice.dataDir)
    expect((await again.services.account.getState()).configured).toBe(false)
    await again.services.account.setup({ user: 'alice3', broker: urlBroker(env.broker.url) })
    await again.connected()
    expect((await again.history('bob3')).map((m) => m.text)).toEqual(['before signing out'])
  })

  it('refuses when nobody is signed in', async () => {
    const node = await env.lab.open('nobody')
    await expect(node.services.account.signOut({ deleteHistory: false })).rejects.toThrow(/not signed in/)
  })
})
