/**
 * The `parley` contact commands as a script sees them: the real bin against a real
 * Mosquitto, each command its own process over its own data directory.
 */
import { describe, expect, it } from 'vitest'
import { useCliLab } from './support/cli-lab'
import { parley } from './support/processes'

const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/
const lines = (s: string) => s.split('\n').filter(Boolean)
const json = (s: string) => lines(s).map((l) => JSON.parse(l) as Record<string, unknown>)

describe('parley CLI: contacts and requests', () => {
  const { as } = useCliLab('parley-cli-contacts-')

  it("alice asks bob while he is away; bob accepts; each is in the other's contacts", async () => {
    // bob has used Parley before (so the broker keeps a session for him), and is away now.
    expect(await parley(['contacts', ...as('bob')])).toMatchObject({ code: 0, stdout: '', stderr: 'No contacts yet.\n' })

    const asked = await parley(['request', 'bob', '--note', 'Hi Bob, it is Alice', ...as('alice')])
    expect(asked).toMatchObject({ code: 0, stderr: 'Friend request sent to bob.\n' })
    const out = json((await parley(['requests', ...as('alice'), '--json'])).stdout)
    expect(out).toEqual([{ kind: 'outgoing', user: 'bob', note: 'Hi Bob, it is Alice', since: expect.stringMatching(ISO), expires: expect.stringMatching(ISO), delivery: 'sent' }])
    expect(Date.parse(out[0]!.expires as string) - Date.parse(out[0]!.since as string)).toBe(30 * 86_400_000)

    const accepted = await parley(['accept', 'alice', ...as('bob')])
    expect(accepted).toMatchObject({ code: 0, stderr: 'You and alice are contacts now.\n' })

    const mine = await parley(['contacts', ...as('alice'), '--json'])
    expect(mine.code).toBe(0)
    expect(json(mine.stdout)).toEqual([{ user: 'bob', state: 'contact', since: expect.stringMatching(ISO) }])
    const his = await parley(['contacts', ...as('bob')])
    expect(his.code).toBe(0)
    expect(his.stdout).toMatch(/^alice \(contact since \d{4}-\d\d-\d\dT[\d:.]+Z\)\n$/)
  })

  it('requests lists friend requests both ways and message requests; decline and cancel; exit codes', async () => {
    await parley(['contacts', ...as('dave')]) // dave's first run: his broker session exists from now on
    expect((await parley(['request', 'dave', ...as('carol')])).code).toBe(0)
    expect((await parley(['send', '--to', 'dave', 'who is this?', ...as('erin')])).code).toBe(0)
    expect((await parley(['request', 'dave', '--note', 'me again', ...as('erin')])).code).toBe(0)

    const seen = await parley(['requests', ...as('dave')])
    expect(seen.code).toBe(0)
    expect(lines(seen.stdout)).toEqual([
      expect.stringMatching(/^from erin "me again" \(lapses \S+Z\)$/),
      expect.stringMatching(/^from carol \(lapses \S+Z\)$/),
      'message from erin: "who is this?" (1 unread)',
    ])
    expect(json((await parley(['requests', ...as('dave'), '--json'])).stdout).map((r) => [r.kind, r.user])).toEqual([
      ['incoming', 'erin'],
      ['incoming', 'carol'],
      ['message', 'erin'],
    ])

    expect(await parley(['decline', 'carol', ...as('dave')])).toMatchObject({ code: 0, stderr: "Declined carol's friend request (they are told).\n" })
    expect(await parley(['cancel', 'dave', ...as('erin')])).toMatchObject({ code: 0, stderr: 'Withdrew your friend request to dave.\n' })
    expect(await parley(['requests', ...as('carol')])).toMatchObject({ code: 0, stdout: '', stderr: 'No requests.\n' })
    expect(lines((await parley(['requests', ...as('dave')])).stdout)).toEqual(['message from erin: "who is this?" (1 unread)'])

    expect(await parley(['accept', 'nobody', ...as('dave')])).toMatchObject({ code: 1, stderr: 'parley: There is no friend request from nobody.\n' })
    expect(await parley(['cancel', 'dave', ...as('erin')])).toMatchObject({ code: 1, stderr: 'parley: You have no pending friend request to dave.\n' })
    const usage = await parley(['request', ...as('erin')])
    expect(usage.code).toBe(2)
    expect(usage.stderr).toContain('request takes exactly one user name')
    const hostile = await parley(['request', 'dave', '--note', 'evil \u202Etxt.exe', ...as('erin')])
    expect(hostile.code).toBe(2)
    expect(hostile.stderr).toContain('--note: A note cannot contain control or invisible characters')
  })
})
