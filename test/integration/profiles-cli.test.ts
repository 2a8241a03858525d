/**
 * `parley profile` and `parley phone` as a script sees them: the real bin against a
 * real Mosquitto, files on disk, exit codes and output.
 */
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { Jimp } from 'jimp'
import { beforeAll, describe, expect, it } from 'vitest'
import { useCliLab } from './support/cli-lab'
import { parley } from './support/processes'

describe('parley CLI: profile and phone', () => {
  const lab = useCliLab('parley-cli-profiles-')
  const { as, local } = lab
  const file = (name: string) => join(lab.dir, name)

  beforeAll(async () => {
    writeFileSync(file('me.png'), await new Jimp({ width: 400, height: 300, color: 0x3366ccff }).getBuffer('image/png'))
    writeFileSync(file('notes.txt'), 'not a picture at all')
  })

  it('profile: alice sets hers (name, status, avatar) and bob reads it from the broker; a file that is not a picture is refused', async () => {
    const set = await parley(['profile', ...as('alice'), '--name', 'Alice Liddell', '--status', 'on the command line', '--avatar', file('me.png')])
    expect(set.stderr).toBe('')
    expect(set.code).toBe(0)
    expect(set.stdout).toMatch(/^user: alice\nname: Alice Liddell\nstatus: on the command line\nemail: \(not set\)\navatar: JPEG, [\d.]+ KiB\nupdated: \d{4}-/)

    const seen = await parley(['profile', 'alice', ...as('bob'), '--json'])
    expect(seen.code).toBe(0)
    const p = JSON.parse(seen.stdout) as Record<string, unknown>
    expect(p).toMatchObject({ user: 'alice', name: 'Alice Liddell', status: 'on the command line', email: null, updatedAt: expect.any(String) })
    expect(p.avatar).toMatch(/^data:image\/jpeg;base64,/)

    // Without options: my own profile, from this history.
    const mine = await parley(['profile', ...local('alice')])
    expect(mine).toMatchObject({ code: 0, stdout: set.stdout })

    const refused = await parley(['profile', ...as('alice'), '--avatar', file('notes.txt')])
    expect(refused.code).toBe(2)
    expect(refused.stderr).toMatch(/That file is not an image/)
    const nobody = await parley(['profile', 'nobody', ...as('bob')])
    expect(nobody).toMatchObject({ code: 0, stdout: 'nobody: no profile published\n' })
  })

  it('phone: bob registers his number; alice finds him in a vCard (--json) and a CSV; a bad number is refused', async () => {
    const reg = await parley(['phone', 'register', '601 234 567', '--country', 'PL', ...as('bob')])
    expect(reg.stderr).toBe('')
    expect(reg).toMatchObject({ code: 0, stdout: expect.stringMatching(/^registered \+48601234567 \(id [0-9a-f]{64}\)\n$/) })

    writeFileSync(file('people.vcf'), 'BEGIN:VCARD\r\nFN:Bob\r\nTEL:+48 601 234 567\r\nEND:VCARD\r\nBEGIN:VCARD\r\nFN:Carol\r\nTEL:+1 202 555 0143\r\nTEL:00\r\nEND:VCARD\r\n')
    const vcf = await parley(['phone', 'find', file('people.vcf'), ...as('alice'), '--json'])
    expect(vcf.code).toBe(0)
    expect(JSON.parse(vcf.stdout)).toEqual({
      matches: [
        { number: '+48601234567', name: 'Bob', user: 'bob' },
        { number: '+12025550143', name: 'Carol', user: null },
      ],
      invalid: 1,
    })

    writeFileSync(file('people.csv'), 'Name;Telefon\nBob;601-234-567\nDave;nope\n')
    const csv = await parley(['phone', 'find', file('people.csv'), '--country', 'PL', ...as('alice')])
    expect(csv).toMatchObject({ code: 0, stdout: '+48601234567  → bob  (Bob)\n1 of 1 numbers are on Parley; 1 entry was not valid phone numbers.\n' })

    const bad = await parley(['phone', 'register', '+48 12', ...as('bob')])
    expect(bad.code).toBe(2)
    expect(bad.stderr).toMatch(/\+48 12 is not a valid phone number/)
  })
})
