/**
 * `parley link` and `parley devices` as a script sees them: the real bin against a
 * real Mosquitto, two data directories of alice, one run at a time (the device
 * records and the broker's persistent sessions carry what happens in between).
 */
import { describe, expect, it } from 'vitest'
import { useCliLab } from './support/cli-lab'
import { parley } from './support/processes'

interface DeviceLine {
  id: string
  name: string
  current: boolean
  state: string
  lastSeen: string | null
  sync: string
}

describe('parley CLI: linked devices', () => {
  const lab = useCliLab('parley-cli-devices-')
  const desk = () => ['--user', 'alice', '--data-dir', lab.dataDir('desk')]
  const laptop = () => ['--user', 'alice', '--data-dir', lab.dataDir('laptop')]
  const lines = (stdout: string): DeviceLine[] =>
    stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as DeviceLine)

  it('link --offer, link LINK (setting up the broker from it), devices, rename, a mirrored message, remove', async () => {
    const offer = await parley(['link', '--offer', ...desk(), '--broker', lab.broker.url, '--json'])
    expect(offer).toMatchObject({ code: 0, stderr: '' })
    const { link, code } = JSON.parse(offer.stdout) as { link: string; code: string }
    expect(code).toMatch(/^([0-9A-Z]{4}-){6}[0-9A-Z]{4}$/)
    expect(new URL(link).searchParams.get('broker')).toBe(lab.broker.url)
    const text = await parley(['link', '--offer', ...desk()])
    expect(text.stdout).toBe(`Link: ${link}\nCode: ${code}\n`)
    const renamed = await parley(['devices', 'rename', 'Desk', ...desk()])
    expect(renamed).toMatchObject({ code: 0, stdout: '' })

    // No --broker: the link says where alice's account is.
    const joined = await parley(['link', link, ...laptop()])
    expect(joined.code).toBe(0)
    expect(joined.stdout).toMatch(/^Linked .+ \([0-9a-f]{16}\)\.\n {2}with [0-9a-f]{16} {2}Desk \(offline, last seen .+; linked\)\n$/)
    expect((await parley(['devices', 'rename', 'Laptop', ...laptop()])).code).toBe(0)

    const onDesk = await parley(['devices', ...desk(), '--json'])
    expect(onDesk.code).toBe(0)
    const [me, other] = lines(onDesk.stdout)
    expect(me).toMatchObject({ name: 'Desk', current: true, sync: 'linked' })
    expect(other).toMatchObject({ name: 'Laptop', current: false, sync: 'linked', state: 'offline' })
    expect(other!.lastSeen).toMatch(/^\d{4}-\d\d-\d\dT/)
    const plain = await parley(['devices', ...desk()])
    expect(plain.stdout).toBe(`${me!.id}  Desk (this device; linked)\n${other!.id}  Laptop (offline, last seen ${other!.lastSeen}; linked)\n`)

    // Sent from the desk while the laptop is away: the laptop's broker session keeps it.
    const sent = await parley(['send', '--to', 'bob', ...desk(), 'from the desk'])
    expect(sent.code).toBe(0)
    expect((await parley(['devices', ...laptop()])).code).toBe(0)
    const history = await parley(['history', '--with', 'bob', ...laptop(), '--json'])
    expect(history.stdout.trim().split('\n').map((l) => JSON.parse(l))).toEqual([
      expect.objectContaining({ from: 'alice', text: 'from the desk', status: 'sent' }),
    ])

    // Removed by the desk: the laptop says so, the desk lists it no more.
    const removed = await parley(['devices', 'remove', other!.id, ...desk()])
    expect(removed).toMatchObject({ code: 0, stderr: `Removed ${other!.id}: it no longer syncs with your devices.\n` })
    expect(lines((await parley(['devices', ...desk(), '--json'])).stdout).map((d) => d.name)).toEqual(['Desk'])
    const onLaptop = await parley(['devices', ...laptop(), '--json'])
    expect(lines(onLaptop.stdout)[0]).toMatchObject({ name: 'Laptop', current: true, sync: 'removed' })
  })

  it('refuses what is not a link or code, and a link for someone else', async () => {
    const bad = await parley(['link', 'not-a-code-at-all', ...laptop()])
    expect(bad.code).toBe(2)
    expect(bad.stderr).toContain('28 letters and digits')
    const offer = JSON.parse((await parley(['link', '--offer', ...lab.as('carol'), '--json'])).stdout) as { link: string }
    const other = await parley(['link', offer.link, ...laptop()])
    expect(other.code).toBe(2)
    expect(other.stderr).toContain('That link is for carol')
    const usage = await parley(['devices', 'frobnicate', 'x', ...desk()])
    expect(usage.code).toBe(2)
    expect(usage.stderr).toContain('devices takes nothing (list), "rename NAME" or "remove ID".')
  })
})
