/**
 * `parley send --to a,b,c` as a script sees it: the real bin against a real
 * Mosquitto. One text becomes one message per recipient, each in their own chat;
 * the sender killed before the broker had any of them loses none (all three were
 * stored with their outbox entries in one transaction) and the next run sends each
 * exactly once. A recipient the broker refuses is reported on its own line (exit 1).
 */
import Database from 'better-sqlite3'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { freePort } from '../helpers/mosquitto'
import { useCliLab } from './support/cli-lab'
import { parley } from './support/processes'

interface Line {
  from: string
  text: string
  id: string
}
const lines = (stdout: string): Line[] =>
  stdout
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Line)

/** What alice's history holds now (a second, read-only connection). */
function stored(dataDir: string): { messages: number; outbox: number } {
  try {
    const db = new Database(join(dataDir, 'history.db'), { readonly: true, fileMustExist: true })
    try {
      const messages = (db.prepare(`SELECT count(*) AS n FROM messages WHERE direction = 'out'`).get() as { n: number }).n
      const outbox = (db.prepare(`SELECT count(*) AS n FROM outbox WHERE owner = 'messages'`).get() as { n: number }).n
      return { messages, outbox }
    } finally {
      db.close()
    }
  } catch {
    return { messages: 0, outbox: 0 } // not created yet, or busy with the migrations
  }
}

describe('parley send --to a,b,c', () => {
  const { as, local, start, dataDir } = useCliLab('parley-cli-send-list-', { acl: ['topic readwrite #', 'topic deny IMS/erin/Inbox/Msg/#'] })

  it('killed before the broker had any, the list is sent in full on the next run, each recipient gets it exactly once', async () => {
    // The recipients have broker sessions, so what is sent while they are away waits for them.
    for (const r of await Promise.all(['bob', 'carol', 'dave'].map((u) => parley(['listen', ...as(u), '--timeout', '1'])))) expect(r.code).toBe(0)

    // No broker at this address: the send stores the list and waits; it is killed (as a crash would) meanwhile.
    const nowhere = `mqtt://127.0.0.1:${await freePort()}`
    const sending = start(['send', ...as('alice', nowhere), '--to', 'bob,carol,dave,bob', '--timeout', '60', 'Lunch at noon?'])
    const deadline = Date.now() + 15_000
    while (stored(dataDir('alice')).outbox < 3) {
      if (Date.now() > deadline) throw new Error(`alice's list was not stored within 15 s\n${sending.stderr}`)
      await new Promise((r) => setTimeout(r, 50))
    }
    await sending.stop('SIGKILL')
    // Three messages, three outbox entries: bob named twice gets one.
    expect(stored(dataDir('alice'))).toEqual({ messages: 3, outbox: 3 })
    const waiting = await parley(['history', ...local('alice'), '--with', 'carol', '--json'])
    expect(lines(waiting.stdout).map((m) => [m.text, (m as Line & { status: string }).status])).toEqual([['Lunch at noon?', 'pending']])

    // The next run on the real broker sends what the outbox holds.
    expect((await parley(['listen', ...as('alice'), '--timeout', '3'])).code).toBe(0)
    const ids = new Set<string>()
    for (const u of ['bob', 'carol', 'dave']) {
      const heard = await parley(['listen', ...as(u), '--timeout', '3'])
      expect(lines(heard.stdout).map((m) => [m.from, m.text])).toEqual([['alice', 'Lunch at noon?']])
      ids.add(lines(heard.stdout)[0]!.id)
      const history = await parley(['history', ...local(u), '--with', 'alice', '--json'])
      expect(lines(history.stdout).map((m) => m.text)).toEqual(['Lunch at noon?'])
    }
    // A message of its own per recipient.
    expect(ids.size).toBe(3)
    const sent = await parley(['history', ...local('alice'), '--with', 'dave', '--json'])
    expect(lines(sent.stdout).map((m) => (m as Line & { status: string }).status)).not.toContain('pending')
  })

  it('reports each recipient: sent to the ones the broker took, not sent to the one it refused (exit 1)', async () => {
    const r = await parley(['send', ...as('frank'), '--to', 'bob,erin,carol', 'Meeting moved'])
    expect(r.code).toBe(1)
    expect(r.stderr).toMatch(/Sent to bob \(/)
    expect(r.stderr).toMatch(/Sent to carol \(/)
    expect(r.stderr).toContain('parley: Not sent to erin: The broker does not allow you to send this (not authorized).')
    const bob = await parley(['listen', ...as('bob'), '--timeout', '3'])
    expect(lines(bob.stdout).map((m) => [m.from, m.text])).toEqual([['frank', 'Meeting moved']])
  })

  it('a bad name in the list is a usage error (exit 2) and sends nothing', async () => {
    const r = await parley(['send', ...as('grace'), '--to', 'bob,x/y', 'hi'])
    expect(r.code).toBe(2)
    expect(r.stderr).toContain('--to: A name cannot contain "/", "+" or "#".')
    const empty = await parley(['send', ...as('grace'), '--to', 'bob,,carol', 'hi'])
    expect(empty.code).toBe(2)
  })
})
