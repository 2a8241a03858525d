import { describe, expect, it } from 'vitest'
import { audience, mentionsIn, metaProblem, nextMeta, type GroupMeta } from '../../../../../src/main/core/features/groups/meta'
import { newGroupId } from '../../../../../src/main/core/features/groups'
import { GroupIdSchema, looksLikeGroupId } from '../../../../../src/shared/protocol/group-id'
import { nameProblem } from '../../../../../src/shared/protocol/names'

const v2: GroupMeta = {
  name: 'Team',
  avatar: null,
  version: 2,
  members: [
    { user: 'alice', state: 'member', admin: true },
    { user: 'bob', state: 'member', admin: false },
    { user: 'carol', state: 'invited', admin: false },
  ],
}

describe('group metadata rules', () => {
  it('a newer version from an admin of the current one wins', () => {
    expect(metaProblem(v2, { ...v2, version: 3, name: 'Team 2' }, 'alice')).toBeNull()
  })

  it('an older or equal version is a replay; a non-admin’s member list is forged', () => {
    expect(metaProblem(v2, { ...v2, version: 1 }, 'alice')).toMatch(/not newer/)
    expect(metaProblem(v2, { ...v2, version: 2 }, 'alice')).toMatch(/not newer/)
    expect(metaProblem(v2, { ...v2, version: 9, members: [{ user: 'bob', state: 'member', admin: true }] }, 'bob')).toMatch(/bob is not an admin of version 2/)
    // An invitee is not an admin either, and neither is someone outside the group.
    expect(metaProblem(v2, { ...v2, version: 3 }, 'carol')).toMatch(/not an admin/)
    expect(metaProblem(v2, { ...v2, version: 3 }, 'mallory')).toMatch(/not an admin/)
  })

  it('the first version seen must name its publisher an admin, and the inviter must be one', () => {
    expect(metaProblem(null, v2, 'alice')).toBeNull()
    expect(metaProblem(null, v2, 'bob')).toMatch(/not among its admins/)
    expect(metaProblem(null, v2, 'alice', 'bob')).toMatch(/invite came from bob/)
    expect(metaProblem(null, v2, 'alice', 'alice')).toBeNull()
  })

  it('a change makes the next version, members sorted admins first', () => {
    const next = nextMeta(v2, (ms) => [...ms, { user: 'aaron', state: 'invited', admin: false }], { name: 'Renamed' })
    expect(next.version).toBe(3)
    expect(next.name).toBe('Renamed')
    expect(next.members.map((m) => m.user)).toEqual(['alice', 'aaron', 'bob', 'carol'])
    expect(v2.members).toHaveLength(3) // the current one is left alone
  })

  it('a message of mine should reach the members other than me (not invitees)', () => {
    expect(audience(v2, 'alice')).toBe(1)
    expect(audience(v2, 'zed')).toBe(2)
  })

  it('finds @mentions of whole names only', () => {
    expect(mentionsIn('hi @bob!', ['bob', 'carol'])).toEqual(['bob'])
    expect(mentionsIn('@carol, @bob: look', ['bob', 'carol'])).toEqual(['bob', 'carol'])
    expect(mentionsIn('mail bob@bob.com or @bobby', ['bob'])).toEqual([])
    expect(mentionsIn('(@bob)', ['bob'])).toEqual(['bob'])
    expect(mentionsIn('nobody here', ['bob'])).toEqual([])
  })
})

describe('group ids', () => {
  it('are grp_ and 20 base32 characters, different every time', () => {
    const ids = new Set(Array.from({ length: 200 }, () => newGroupId()))
    expect(ids.size).toBe(200)
    for (const id of ids) expect(GroupIdSchema.safeParse(id).success).toBe(true)
  })

  it('cannot be taken as a user name', () => {
    expect(looksLikeGroupId('grp_abc')).toBe(true)
    expect(nameProblem('grp_abcdefghijklmnopqrst')).toMatch(/grp_/)
    expect(nameProblem('GRP_x')).toMatch(/grp_/)
    expect(nameProblem('grape')).toBeNull()
    expect(GroupIdSchema.safeParse('grp_ABCDEFGHIJKLMNOPQRST').success).toBe(false)
    expect(GroupIdSchema.safeParse('grp_abc').success).toBe(false)
  })
})
