/**
 * `parley block` as a script sees it: the real bin against a real Mosquitto.
 * After alice blocks carol, carol's message never appears in alice's `listen`
 * nor in her `history`; carol's Parley is told to stop following alice's moments.
 */
import { describe, expect, it } from 'vitest'
import { useCliLab } from './support/cli-lab'
import { parley } from './support/processes'

describe('parley CLI: block', () => {
  const { as, local, start } = useCliLab('parley-cli-blocking-')

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

    const listen = start(['listen', ...as('alice'), '--verbose'])
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
    const after = start(['listen', ...as('alice'), '--count', '1', '--timeout', '15', '--verbose'])
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
