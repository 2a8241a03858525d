/**
 * `parley block` as a script sees it: the real bin against a real Mosquitto.
 * After alice blocks carol, carol's message never appears in alice's `listen`
 * nor in her `history`; carol's Parley is told to stop following alice's moments.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startMosquitto, type Mosquitto } from '../helpers/mosquitto'
import { parley, requireBuiltCli, startParley, type Running } from './support/processes'

describe('parley CLI: block', () => {
  let broker: Mosquitto
  let dir: string
  const running: Running[] = []
  const dataDir = (user: string) => join(dir, user)
  const as = (user: string) => ['--user', user, '--broker', broker.url, '--data-dir', dataDir(user)]
  const local = (user: string) => ['--user', user, '--data-dir', dataDir(user)]

  beforeAll(async () => {
    requireBuiltCli()
    broker = await startMosquitto()
    dir = mkdtempSync(join(tmpdir(), 'parley-cli-blocking-'))
  })

  afterAll(async () => {
    for (const p of running) await p.stop('SIGKILL')
    await broker?.stop()
    if (dir) rmSync(dir, { recursive: true, force: true })
  })

  it("alice blocks carol: carol's message never shows in alice's listen nor her history; carol is told; unblocked, the next one arrives", async () => {
    // carol follows alice's moments, and both have a broker session.
    expect(await parley(['follow', 'alice', ...as('carol')])).toMatchObject({ code: 0, stdout: 'alice\n' })
    const blocked = await parley(['block', 'carol', ...as('alice'), '--notify'])
    expect(blocked).toMatchObject({ code: 0, stdout: '' })
    expect(blocked.stderr).toContain('Blocked carol (told they were blocked')
    const list = await parley(['blocked', ...local('alice'), '--json'])
    expect(JSON.parse(list.stdout)).toEqual({ user: 'carol', since: expect.any(String), notified: true })

    // carol's Parley got the notice (queued in her broker session) and tells her; she no longer follows alice.
    const feed = await parley(['feed', ...as('carol')])
    expect(feed.code).toBe(0)
    expect(feed.stderr).toContain('alice blocked you')
    expect(await parley(['following', ...local('carol'), '--json'])).toMatchObject({ code: 0, stdout: '' })

    const listen = startParley(['listen', ...as('alice'), '--verbose'])
    running.push(listen)
    await listen.waitFor('connection: connected')
    expect(await parley(['send', ...as('carol'), '--to', 'alice', 'you cannot see this'])).toMatchObject({ code: 0 })
    expect(await parley(['send', ...as('dave'), '--to', 'alice', 'sentinel'])).toMatchObject({ code: 0 })
    await listen.waitFor('sentinel')
    expect(await listen.stop('SIGTERM')).toBe(0)
    const heard = listen.stdout.trim().split('\n').map((l) => JSON.parse(l) as { from: string; text: string })
    expect(heard.map((m) => [m.from, m.text])).toEqual([['dave', 'sentinel']])
    expect(listen.stdout).not.toContain('you cannot see this')

    const history = await parley(['history', ...local('alice'), '--with', 'carol'])
    expect(history).toMatchObject({ code: 0, stdout: '' })
    expect(history.stderr).toContain('No messages with carol in this history.')

    expect(await parley(['unblock', 'carol', ...local('alice')])).toMatchObject({ code: 0, stderr: 'Unblocked carol.\n' })
    expect(await parley(['unblock', 'carol', ...local('alice')])).toMatchObject({ code: 0, stderr: 'carol was not blocked.\n' })
    const after = startParley(['listen', ...as('alice'), '--count', '1', '--timeout', '15', '--verbose'])
    running.push(after)
    await after.waitFor('connection: connected')
    // carol's next run offers the blocked message again (no receipt came) and sends a new one: only the new one shows.
    expect(await parley(['send', ...as('carol'), '--to', 'alice', 'after the unblock'])).toMatchObject({ code: 0 })
    expect(await after.exited).toBe(0)
    expect(after.stdout.trim().split('\n').map((l) => (JSON.parse(l) as { text: string }).text)).toEqual(['after the unblock'])
    const json = await parley(['history', ...local('alice'), '--with', 'carol', '--json'])
    expect(json.stdout.trim().split('\n').map((l) => (JSON.parse(l) as { text: string }).text)).toEqual(['after the unblock'])
  })

  it('blocking myself or a bad name exits 2 with the reason', async () => {
    const me = await parley(['block', 'alice', ...as('alice')])
    expect(me).toMatchObject({ code: 2 })
    expect(me.stderr).toContain('parley: You cannot block yourself.')
    const bad = await parley(['block', 'x/y', ...as('alice')])
    expect(bad.code).toBe(2)
    expect(bad.stderr).toContain('parley: block NAME: A name cannot contain "/", "+" or "#".')
  })
})
