/**
 * `parley group …` as a script uses it, with the real bin and a real Mosquitto:
 * create with --members (the id is the last line), an invitee who accepts later,
 * sending, the list, admin rules and bad input.
 */
import { describe, expect, it } from 'vitest'
import { waitFor } from '../helpers/core'
import { useCliLab } from './support/cli-lab'
import { parley } from './support/processes'

describe('parley CLI: groups', () => {
  const { as } = useCliLab('parley-cli-groups-')

  it('create with --members, accept, send, list; only admins rename; bad input is a usage error', async () => {
    // bob and carol have broker sessions (so what is sent while they are away waits for them).
    for (const u of ['bob', 'carol']) expect((await parley(['groups', ...as(u)])).code).toBe(0)

    const created = await parley(['group', 'create', 'Book club', '--members', 'bob,carol', ...as('alice')])
    expect(created.code).toBe(0)
    const id = created.stdout.trim().split('\n').at(-1)!
    expect(id).toMatch(/^grp_[a-z2-7]{20}$/)
    expect(created.stderr).toContain('Invited bob.')

    const invited = await parley(['groups', ...as('bob'), '--json'])
    expect(invited.code).toBe(0)
    expect(JSON.parse(invited.stdout.trim())).toMatchObject({ id, name: 'Book club', membership: 'invited', invitedBy: 'alice' })

    for (const u of ['bob', 'carol']) {
      const accepted = await parley(['group', 'accept', id, ...as(u)])
      expect(accepted).toMatchObject({ code: 0 })
      expect(accepted.stderr).toContain('You joined "Book club".')
    }

    const sent = await parley(['group', 'send', id, 'Chapter 3 tonight?', ...as('bob')])
    expect(sent.code).toBe(0)
    expect(sent.stderr).toMatch(/Sent to "Book club"/)

    // alice's metadata lists both as members once their answers arrived.
    const listed = await waitFor(
      async () => {
        const r = await parley(['groups', ...as('alice'), '--json'])
        const g = JSON.parse(r.stdout.trim()) as { members: { user: string; state: string }[] }
        return g.members.every((m) => m.state === 'member') ? g : null
      },
      'alice to see both as members',
      15_000,
    )
    expect(listed.members.map((m) => m.user)).toEqual(['alice', 'bob', 'carol'])

    const renamed = await parley(['group', 'rename', id, 'Not yours', ...as('carol')])
    expect(renamed.code).toBe(1)
    expect(renamed.stderr).toContain('Only an admin')

    expect((await parley(['group', 'send', 'team', 'x', ...as('bob')])).code).toBe(2)
    expect((await parley(['group', 'create', 'evil\u202Ename', ...as('bob')])).code).toBe(2)
    expect((await parley(['group', 'frobnicate', ...as('bob')])).code).toBe(2)
  }, 60_000)
})
