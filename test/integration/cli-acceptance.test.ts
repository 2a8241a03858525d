/**
 * The `parley` command as a script uses it: the real bin (bin/parley.cjs → the
 * built out/main/cli.js, so `npm test` builds first) against a real Mosquitto.
 */
import { spawnSync } from 'node:child_process'
import { describe, expect, it } from 'vitest'
import { freePort } from '../helpers/mosquitto'
import { useCliLab } from './support/cli-lab'
import { BIN, parley as run } from './support/processes'

const parley = (args: string[], timeoutMs?: number) => run(args, { timeoutMs })

describe('parley CLI', () => {
  const lab = useCliLab('parley-cli-')
  const { dataDir } = lab

  it('delivers a message sent while the receiver is offline, and keeps it in history', async () => {
    // bob's first connection creates his persistent session on the broker.
    const first = await parley(['listen', '--user', 'bob', '--broker', lab.broker.url, '--data-dir', dataDir('bob'), '--timeout', '1'])
    expect(first.code).toBe(0)

    const sent = await parley(['send', '--user', 'alice', '--to', 'bob', '--broker', lab.broker.url, '--data-dir', dataDir('alice'), 'Are you there, Bob? ✓'])
    expect(sent.stderr).toContain('Sent to bob')
    expect(sent.code).toBe(0)

    const listen = await parley(['listen', '--user', 'bob', '--data-dir', dataDir('bob'), '--count', '1', '--timeout', '15'])
    expect(listen.code).toBe(0)
    const lines = listen.stdout.trim().split('\n')
    expect(lines).toHaveLength(1)
    const msg = JSON.parse(lines[0]!)
    expect(msg).toMatchObject({ from: 'alice', text: 'Are you there, Bob? ✓', conversation: 'dm:alice' })

    // Both have exited; the history is read from disk with no broker involved.
    await lab.broker.stop()
    const bobHistory = await parley(['history', '--user', 'bob', '--with', 'alice', '--data-dir', dataDir('bob')])
    expect(bobHistory.code).toBe(0)
    expect(bobHistory.stdout).toMatch(/ alice: Are you there, Bob\? ✓\n$/)
    const aliceHistory = await parley(['history', '--user', 'alice', '--with', 'bob', '--data-dir', dataDir('alice'), '--json'])
    expect(JSON.parse(aliceHistory.stdout.trim())).toMatchObject({ from: 'alice', text: 'Are you there, Bob? ✓' })
    await lab.replaceBroker()
  })

  it('keeps offline messages on the built-in broker, whichever Parley hosts it', async () => {
    const port = await freePort()
    const broker = `embedded:${port}`
    // Each command hosts the built-in broker while it runs; the queue must outlive them all.
    expect((await parley(['listen', '--user', 'dora', '--broker', broker, '--data-dir', dataDir('dora'), '--timeout', '1'])).code).toBe(0)
    const sent = await parley(['send', '--user', 'eve', '--to', 'dora', '--broker', broker, '--data-dir', dataDir('eve'), 'kept for you'])
    expect(sent.code).toBe(0)
    const listen = await parley(['listen', '--user', 'dora', '--data-dir', dataDir('dora'), '--count', '1', '--timeout', '15'])
    expect(listen.code).toBe(0)
    expect(JSON.parse(listen.stdout.trim())).toMatchObject({ from: 'eve', text: 'kept for you' })
  })

  it('refuses hostile names with exit code 2 and a reason', async () => {
    const r = await parley(['send', '--user', 'mal/lory', '--to', 'bob', '--broker', lab.broker.url, '--data-dir', dataDir('x'), 'hi'])
    expect(r.code).toBe(2)
    expect(r.stderr).toContain('A name cannot contain "/", "+" or "#".')
    const r2 = await parley(['send', '--user', 'alice', '--to', 'bo b', '--data-dir', dataDir('alice'), 'hi'])
    expect(r2.code).toBe(2)
    expect(r2.stderr).toContain('A name cannot contain spaces.')
  })

  it('queues a message when the broker is unreachable and exits 3, then sends it next time', async () => {
    const down = 'mqtt://127.0.0.1:9' // discard port: nothing listens
    const r = await parley(['send', '--user', 'erin', '--to', 'bob', '--broker', down, '--data-dir', dataDir('erin'), '--timeout', '1', 'queued while offline'])
    expect(r.code).toBe(3)
    expect(r.stderr).toContain('queued')
    const pending = await parley(['history', '--user', 'erin', '--with', 'bob', '--data-dir', dataDir('erin')])
    expect(pending.stdout).toContain('(not sent yet): queued while offline')
    // Next run against a reachable broker flushes the outbox.
    const again = await parley(['send', '--user', 'erin', '--to', 'bob', '--broker', lab.broker.url, '--data-dir', dataDir('erin'), 'second'])
    expect(again.code).toBe(0)
    const after = await parley(['history', '--user', 'erin', '--with', 'bob', '--data-dir', dataDir('erin')])
    expect(after.stdout).not.toContain('not sent yet')
  })

  it("refuses to show another user's history from a data directory", async () => {
    const r = await parley(['history', '--user', 'mallory', '--with', 'alice', '--data-dir', dataDir('bob')])
    expect(r.code).toBe(2)
    expect(r.stderr).toContain('belongs to bob')
    expect(r.stdout).toBe('')
  })

  it('prints usage with exit code 2 for an unknown command', () => {
    const r = spawnSync(process.execPath, [BIN, 'frobnicate', '--user', 'a'], { encoding: 'utf8' })
    expect(r.status).toBe(2)
    expect(r.stderr).toContain('Unknown command "frobnicate"')
  })
})
