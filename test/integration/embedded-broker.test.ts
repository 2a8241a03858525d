/**
 * The zero-config broker: Aedes (MQTT 3.1.1) with LevelDB persistence, hosted by
 * whichever Parley on the machine starts first.
 */
import { statSync } from 'node:fs'
import { createServer } from 'node:net'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { ensureEmbeddedBroker, isMqttBroker, startEmbeddedBroker, type EmbeddedBroker } from '../../src/main/core/broker/embedded-broker'
import { silentLogger } from '../../src/main/core/kernel/log'
import { resolveBrokerDir } from '../../src/main/core/kernel/paths'
import { freePort } from '../helpers/mosquitto'
import { embeddedBroker, Lab, sleep, urlBroker, waitFor } from '../helpers/core'

describe('embedded broker', () => {
  let lab: Lab
  const brokers: EmbeddedBroker[] = []

  beforeEach(() => {
    lab = new Lab()
  })
  afterEach(async (ctx) => {
    if (ctx.task.result?.state === 'fail') console.error(lab.dump())
    await lab.cleanup()
    for (const b of brokers.splice(0)) await b.close()
  })

  it('alice hosts it, bob finds it on the same port, and they chat over MQTT 3.1.1', async () => {
    const port = await freePort()
    const alice = await lab.open('alice', embeddedBroker(port))
    expect(await alice.connected()).toMatchObject({ state: 'connected', protocolVersion: 4, broker: `mqtt://127.0.0.1:${port}` })
    const bob = await lab.open('bob', embeddedBroker(port))
    expect((await bob.connected()).protocolVersion).toBe(4)
    expect(bob.log.lines.some((l) => l.includes('using the broker another Parley already runs'))).toBe(true)

    const hi = await alice.send('bob', 'over the embedded broker')
    const got = await waitFor(() => bob.messages().find((m) => m.id === hi.id), 'bob to receive')
    expect(got).toMatchObject({ sender: 'alice', text: 'over the embedded broker' })
    await waitFor(() => alice.messages().some((m) => m.id === hi.id && m.status === 'sent'), 'alice to see it sent')

    const back = await bob.send('alice', 'and back')
    await waitFor(() => alice.messages().find((m) => m.id === back.id && m.direction === 'in'), 'alice to receive')
    expect((await alice.services.account.getState()).connection.protocolVersion).toBe(4)
    // Its queues hold other people's messages: private to this user.
    expect(statSync(resolveBrokerDir(port)).mode & 0o777).toBe(0o700)
  })

  it('the hosting Parley closes promptly while another Parley is still connected to its broker', async () => {
    const port = await freePort()
    const alice = await lab.open('alice', embeddedBroker(port))
    await alice.connected()
    const bob = await lab.open('bob', embeddedBroker(port))
    await bob.connected()
    // bob stands for a Parley in another process: it stays connected while alice quits.
    const closing = lab.close(alice).then(() => 'closed' as const)
    const outcome = await Promise.race([closing, sleep(3_000).then(() => 'still closing after 3 s' as const)])
    await lab.close(bob) // lets a hung close finish, so nothing outlives the test
    await closing
    expect(outcome).toBe('closed')
  })

  it('closing right after opening leaves no broker running', async () => {
    const port = await freePort()
    const first = await lab.open('gina', embeddedBroker(port))
    await first.connected()
    await lab.close(first)
    // Reopen (settings say: host the broker) and close at once, while the broker is starting.
    const again = await lab.open('gina', undefined, first.dataDir)
    await lab.close(again)
    await sleep(1_000)
    const running = await isMqttBroker(port, 500)
    // Cleanup only: a broker that outlived close() is still referenced by the closed core.
    await (again.core as unknown as { broker: EmbeddedBroker | null }).broker?.close()
    expect(running).toBe(false)
  })

  it('a URL broker with protocol auto falls back from MQTT 5 to 3.1.1 on Aedes', async () => {
    const port = await freePort()
    brokers.push(await startEmbeddedBroker({ port, host: '127.0.0.1', dir: lab.dir('aedes'), log: silentLogger }))
    const carol = await lab.open('carol', urlBroker(`mqtt://127.0.0.1:${port}`))
    const status = await carol.connected(10_000)
    expect(status.protocolVersion).toBe(4)
    // And it works: a message to herself comes back through the broker.
    const m = await carol.send('carol', 'note to self')
    await waitFor(() => carol.messages().some((x) => x.id === m.id && x.status === 'sent'), 'the note to be sent')
  })

  it('keeps queued messages across a broker restart (LevelDB)', async () => {
    const port = await freePort()
    let alice = await lab.open('alice', embeddedBroker(port))
    await alice.connected()
    let bob = await lab.open('bob', embeddedBroker(port))
    await bob.connected() // bob's persistent session now exists on alice's broker
    await lab.close(bob)

    const msg = await alice.send('bob', 'kept on disk')
    await waitFor(() => alice.messages().some((m) => m.id === msg.id && m.status === 'sent'), 'the broker to accept it')
    await lab.close(alice) // stops the broker
    expect(await isMqttBroker(port, 500)).toBe(false)

    alice = await lab.open('alice', undefined, alice.dataDir) // restarts the broker from its LevelDB
    await alice.connected()
    bob = await lab.open('bob', undefined, bob.dataDir)
    const got = await waitFor(() => bob.messages().find((m) => m.id === msg.id), 'the message queued before the restart')
    expect(got.text).toBe('kept on disk')
    expect((await bob.history('alice')).map((m) => m.text)).toEqual(['kept on disk'])
  })

  it('ensureEmbeddedBroker uses a running broker, and refuses a port held by something else', async () => {
    const port = await freePort()
    const first = await ensureEmbeddedBroker({ port, host: '127.0.0.1', dir: lab.dir('b1'), log: silentLogger })
    expect(first).not.toBeNull()
    brokers.push(first!)
    expect(await ensureEmbeddedBroker({ port, host: '127.0.0.1', dir: lab.dir('b2'), log: silentLogger })).toBeNull()

    const other = await freePort()
    const notMqtt = lab.track(
      createServer((s) => {
        s.resume()
        s.end('HTTP/1.1 400 Bad Request\r\n\r\n')
      }),
    )
    await new Promise<void>((r) => notMqtt.listen(other, '127.0.0.1', () => r()))
    await expect(ensureEmbeddedBroker({ port: other, host: '127.0.0.1', dir: lab.dir('b3'), log: silentLogger })).rejects.toThrow(
      `Port ${other} is used by another program that is not an MQTT broker.`,
    )
  })
})
