/**
 * `parley post` and `parley feed` as a script sees them: the real bin against a
 * real Mosquitto. bob posts while alice is away; her next `feed` has it.
 */
import { describe, expect, it } from 'vitest'
import { freePort } from '../helpers/mosquitto'
import { useCliLab } from './support/cli-lab'
import { parley } from './support/processes'

interface FeedLine {
  id: string
  author: string
  ts: number
  time: string
  text: string
  mine: boolean
  status: string
}

describe('parley CLI: moments', () => {
  const { as, local } = useCliLab('parley-cli-moments-')
  const lines = (stdout: string) => stdout.trim().split('\n').filter(Boolean)

  it('bob posts while alice is away; her feed has his moments and hers, newest first; --limit and --json', async () => {
    expect(await parley(['follow', 'bob', ...as('alice')])).toMatchObject({ code: 0, stdout: 'bob\n' })
    const mine = await parley(['post', ...as('alice'), 'from alice'])
    expect(mine.code).toBe(0)
    expect(mine.stderr).toMatch(/^Posted \([0-9a-f-]{36}\)\.\n$/)
    for (const text of ['first from bob', 'second from bob']) expect((await parley(['post', ...as('bob'), text])).code).toBe(0)

    const feed = await parley(['feed', ...as('alice')])
    expect(feed.code).toBe(0)
    expect(lines(feed.stdout).map((l) => l.replace(/^\S+ /, ''))).toEqual(['bob: second from bob', 'bob: first from bob', 'alice: from alice'])
    expect(lines(feed.stdout)[0]).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z bob: /)

    const json = await parley(['feed', ...as('alice'), '--json', '--limit', '2'])
    const parsed = lines(json.stdout).map((l) => JSON.parse(l) as FeedLine)
    expect(parsed.map((m) => [m.author, m.text, m.mine, m.status])).toEqual([
      ['bob', 'second from bob', false, 'received'],
      ['bob', 'first from bob', false, 'received'],
    ])
    expect(Date.parse(parsed[0]!.time)).toBe(parsed[0]!.ts)

    // alice stops following bob: his next post is not in her feed.
    expect(await parley(['unfollow', 'bob', ...as('alice')])).toMatchObject({ code: 0, stdout: '' })
    expect((await parley(['post', ...as('bob'), 'third from bob'])).code).toBe(0)
    const later = await parley(['feed', ...as('alice'), '--json'])
    expect(lines(later.stdout).map((l) => (JSON.parse(l) as FeedLine).text)).toEqual(['from alice'])
  })

  it('post exits 3 when the broker cannot be reached (the moment stays queued), 2 for empty text', async () => {
    const unreachable = `mqtt://127.0.0.1:${await freePort()}`
    const r = await parley(['post', ...as('gus', unreachable), '--timeout', '1', 'later'])
    expect(r.code).toBe(3)
    expect(r.stderr).toContain('The moment is queued and goes out the next time Parley runs for gus.')
    const feed = await parley(['feed', ...local('gus'), '--timeout', '1'])
    expect(feed.code).toBe(0)
    expect(feed.stdout).toMatch(/ gus \(not posted yet\): later\n$/)
    expect(feed.stderr).toContain('could not reach the broker within 1 s')
    const empty = await parley(['post', ...as('gus2'), '   '])
    expect(empty.code).toBe(2)
    expect(empty.stderr).toContain('parley: moment: A message cannot be empty.')
  })
})
