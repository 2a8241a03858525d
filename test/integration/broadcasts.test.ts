/**
 * Regional broadcasts over a real Mosquitto (MQTT 5) whose ACL lets only olga
 * write `IMS/System/#` (docs/protocol.md, "Regional broadcasts"): a broadcast
 * reaches the accounts that follow its region and nobody else, also one that was
 * offline; plain text from any MQTT tool shows as from "System"; an account that
 * flags itself admin but is not one at the broker gets its broadcast marked failed
 * with the broker's reason, and an account not flagged cannot publish at all.
 */
import { describe, expect, it } from 'vitest'
import type { ChatMessage } from '../../src/shared/contract'
import { FAST, publish, sleep, urlBroker, useMosquittoLab, waitFor, type Node } from '../helpers/core'

const ACL = [
  // Everyone: read anything, write their own topics and others' inboxes (as in the protocol's reference ACL).
  'pattern read #',
  'pattern write IMS/%u',
  'pattern write IMS/%u/#',
  'pattern write IMS/+/Inbox/#',
  // The broadcast admins: only they may write the System tree.
  'user olga',
  'topic write IMS/System/#',
]

describe('regional broadcasts', () => {
  const env = useMosquittoLab({ tuning: FAST, acl: ACL })
  /** Opens `name` connecting as broker user `name` (so the ACL knows who it is). */
  const online = async (name: string): Promise<Node> => {
    const node = await env.lab.open(name, urlBroker(env.broker.url, { username: name }))
    await node.connected()
    return node
  }
  const broadcasts = async (node: Node, region: string): Promise<ChatMessage[]> =>
    (await node.services.messages.page({ conversationId: `system:${region}`, limit: 100 })).messages

  it('reaches only the accounts that follow the region (one offline meanwhile); plain text shows as from System', async () => {
    const [erik, ursula, nora, olga] = (await Promise.all(['erik', 'ursula', 'nora', 'olga'].map(online))) as [Node, Node, Node, Node]
    expect(await erik.services.broadcasts.setRegions(['eu'])).toEqual({ regions: ['eu'], admin: false })
    await ursula.services.broadcasts.setRegions(['us', 'us'])
    expect(await ursula.services.broadcasts.regions()).toEqual(['us'])
    expect(await olga.services.broadcasts.setAdmin(true)).toEqual({ regions: [], admin: true })
    await sleep(200) // the new subscriptions reach the broker

    const eu = await olga.services.broadcasts.publish({ region: 'eu', text: 'Maintenance tonight at 22:00' })
    expect(eu).toMatchObject({ conversationId: 'system:eu', direction: 'out', status: 'pending' })
    await waitFor(async () => (await broadcasts(olga, 'eu')).find((m) => m.id === eu.id)?.status === 'sent', "olga's broadcast to be sent")
    const us = await olga.services.broadcasts.publish({ region: 'us', text: 'Holiday on Thursday' })
    await waitFor(async () => (await broadcasts(ursula, 'us')).length === 1, 'ursula to get the us broadcast')

    const got = await waitFor(async () => ((await broadcasts(erik, 'eu')).length === 1 ? broadcasts(erik, 'eu') : null), 'erik to get the eu broadcast')
    expect(got.map((m) => [m.id, m.sender, m.direction, m.text])).toEqual([[eu.id, 'olga', 'in', 'Maintenance tonight at 22:00']])
    expect((await broadcasts(ursula, 'us')).map((m) => [m.id, m.text])).toEqual([[us.id, 'Holiday on Thursday']])
    // A read-only conversation of kind 'system' per region, titled by the region.
    expect((await erik.services.conversations.list()).map((c) => [c.id, c.kind, c.title])).toEqual([['system:eu', 'system', 'eu']])
    // Nobody else heard anything.
    expect(await broadcasts(erik, 'us')).toEqual([])
    expect(await broadcasts(ursula, 'eu')).toEqual([])
    expect(await nora.services.conversations.list()).toEqual([])
    expect(nora.messages()).toEqual([])

    // erik is away; what is broadcast meanwhile waits in his broker session.
    await env.lab.close(erik)
    const raw = await env.lab.client(env.broker.url, { username: 'olga' })
    await publish(raw, 'IMS/System/eu', 'Storm warning for the coast')
    const back = await env.lab.open('erik')
    await back.connected()
    const after = await waitFor(async () => ((await broadcasts(back, 'eu')).length === 2 ? broadcasts(back, 'eu') : null), 'erik to get the broadcast sent while away')
    expect(after.map((m) => [m.sender, m.text])).toEqual([
      ['olga', 'Maintenance tonight at 22:00'],
      ['System', 'Storm warning for the coast'],
    ])

    // Following no region any more: nothing new arrives; the conversation and its history stay.
    expect(await back.services.broadcasts.setRegions([])).toEqual({ regions: [], admin: false })
    await sleep(200)
    await publish(raw, 'IMS/System/eu', 'after erik left the region')
    await publish(raw, 'IMS/System/us', 'sentinel')
    await waitFor(async () => (await broadcasts(ursula, 'us')).length === 2, 'ursula to get the sentinel')
    expect((await broadcasts(back, 'eu')).map((m) => m.text)).not.toContain('after erik left the region')
  })

  it("a self-flagged admin the broker does not know is refused by its ACL: the broadcast is marked failed with the reason, and nobody gets it", async () => {
    const [erik, mallory] = (await Promise.all(['erik', 'mallory'].map(online))) as [Node, Node]
    await erik.services.broadcasts.setRegions(['eu'])
    // Not flagged: Parley does not even try.
    await expect(mallory.services.broadcasts.publish({ region: 'eu', text: 'x' })).rejects.toThrow(/Only accounts flagged admin publish broadcasts/)
    await expect(mallory.services.messages.send({ conversationId: 'system:eu', text: 'x' })).rejects.toThrow(/Only accounts flagged admin/)
    expect(mallory.query('SELECT count(*) AS n FROM outbox')).toEqual([{ n: 0 }])

    await mallory.services.broadcasts.setAdmin(true)
    const m = await mallory.services.broadcasts.publish({ region: 'eu', text: 'Free money, click here' })
    const failed = await waitFor(async () => (await broadcasts(mallory, 'eu')).find((x) => x.id === m.id && x.status === 'failed'), 'the broadcast to fail')
    expect(failed.error).toBe('The broker does not allow you to send this (not authorized).')
    await sleep(300)
    expect(await broadcasts(erik, 'eu')).toEqual([])
  })

  it('refuses bad region names and the reserved name System, with the reason', async () => {
    const erik = await online('erik')
    await expect(erik.services.broadcasts.setRegions(['eu/west'])).rejects.toThrow('A name cannot contain "/", "+" or "#".')
    await expect(erik.services.broadcasts.setRegions(['#'])).rejects.toThrow()
    await expect(erik.services.broadcasts.setRegions(['System'])).rejects.toThrow('"System" is reserved (regional broadcasts use it).')
    expect(await erik.services.broadcasts.regions()).toEqual([])
    await expect(env.lab.open('sys', urlBroker(env.broker.url), { user: 'System' })).rejects.toThrow(/reserved/)
  })
})
