/**
 * `parley regions`, `admin` and `broadcast` as a script sees them: the real bin
 * against a real Mosquitto whose ACL lets only olga write `IMS/System/#`.
 */
import { describe, expect, it } from 'vitest'
import { useCliLab } from './support/cli-lab'
import { parley } from './support/processes'

const ACL = ['pattern read #', 'pattern write IMS/%u', 'pattern write IMS/%u/#', 'pattern write IMS/+/Inbox/#', 'user olga', 'topic write IMS/System/#']

describe('parley CLI: regional broadcasts', () => {
  const lab = useCliLab('parley-cli-broadcasts-', { acl: ACL })
  /** As `user`, connecting as broker user `user` (so the ACL knows who it is). */
  const as = (user: string) => [...lab.as(user), '--username', user]

  it('follows regions, refuses a non-admin, and an admin broadcast reaches the region (exit codes as documented)', async () => {
    const follow = await parley(['regions', 'eu,us', ...as('erik')])
    expect(follow).toMatchObject({ code: 0, stdout: 'eu\nus\n' })
    expect(follow.stderr).toContain('Following 2 regions.')
    expect(await parley(['regions', '--json', ...lab.local('erik')])).toMatchObject({ code: 0, stdout: '{"regions":["eu","us"],"admin":false}\n' })
    const bad = await parley(['regions', 'eu,System', ...as('erik')])
    expect(bad.code).toBe(2)
    expect(bad.stderr).toContain('"System" is reserved')

    const refused = await parley(['broadcast', 'eu', 'hello', ...as('olga')])
    expect(refused.code).toBe(1)
    expect(refused.stderr).toContain('This account is not flagged admin')
    expect(await parley(['admin', 'on', ...as('olga')])).toMatchObject({ code: 0 })
    const sent = await parley(['broadcast', 'eu', 'Maintenance tonight', ...as('olga')])
    expect(sent.code).toBe(0)
    expect(sent.stderr).toMatch(/^Broadcast to eu \(/)

    // mallory flags herself admin, but the broker does not let her write there.
    expect(await parley(['admin', 'on', ...as('mallory')])).toMatchObject({ code: 0 })
    const denied = await parley(['broadcast', 'eu', 'Free money', ...as('mallory')])
    expect(denied.code).toBe(1)
    expect(denied.stderr).toContain('parley: Not broadcast to eu: The broker does not allow you to send this (not authorized).')

    const heard = await parley(['listen', ...as('erik'), '--timeout', '3'])
    expect(heard.stdout.trim().split('\n').map((l) => JSON.parse(l) as { from: string; conversation: string; text: string })).toEqual([
      expect.objectContaining({ from: 'olga', conversation: 'system:eu', text: 'Maintenance tonight' }),
    ])
  })
})
