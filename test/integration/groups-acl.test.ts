/**
 * Groups under a broker ACL: the client-side membership check drops what a
 * non-member posts (groups.test.ts); with an ACL that lets only a group's members
 * write `R/{group}/{their own name}`, the broker refuses the post outright. The
 * ACL here is the shape docs/protocol.md describes, written for one group once
 * its id exists (Mosquitto reloads it on SIGHUP).
 */
import mqtt from 'mqtt'
import { describe, expect, it } from 'vitest'
import { encodeEnvelope, envelope } from '../../src/main/core/protocol/codec'
import { FAST, sleep, urlBroker, useMosquittoLab, waitFor } from '../helpers/core'

/** What every signed-in user may do: their own namespace, others' inboxes as themselves, reading the rest. */
const BASE = [
  'pattern readwrite IMS/%u/#',
  'pattern write IMS/+/Inbox/+/%u',
  'pattern write IMS/+/Inbox/+/+/%u',
  'pattern write IMS/+/Inbox/Update/%u/Unsub',
  'pattern read IMS/#',
  // The group's creator may publish a new group's metadata.
  'user alice',
  'topic write IMS/+',
]

describe('groups under a broker ACL', () => {
  const env = useMosquittoLab({ tuning: FAST, acl: BASE })

  it("only the group's members can post in it: the broker refuses carol's publish, and nobody sees it", async () => {
    const as = (user: string) => urlBroker(env.broker.url, { username: user })
    const alice = await env.lab.open('alice', as('alice'))
    const bob = await env.lab.open('bob', as('bob'))
    await Promise.all([alice.connected(), bob.connected()])
    const group = await alice.services.groups.create({ name: 'Members only', members: ['bob'] })
    // The reference ACL for this group: each member writes under their own name, and nobody else.
    await env.broker.reloadAcl([...BASE, `topic write IMS/${group.id}/alice`, 'user bob', `topic write IMS/${group.id}/bob`])
    await waitFor(async () => (await bob.services.groups.list()).some((g) => g.id === group.id && g.membership === 'invited'), 'the invite')
    await bob.services.groups.accept(group.id)
    await waitFor(async () => (await alice.services.groups.get(group.id)).members.every((m) => m.state === 'member'), 'bob a member')

    const hi = await bob.services.messages.send({ conversationId: group.conversationId, text: 'bob, a member' })
    await waitFor(async () => (await alice.services.messages.page({ conversationId: group.conversationId })).messages.some((m) => m.id === hi.id), 'bob’s post')

    const carol = await mqtt.connectAsync(env.broker.url, { clientId: 'carol-raw', username: 'carol', protocolVersion: 5 })
    try {
      const forged = encodeEnvelope(envelope('text', 'carol', { text: 'carol, not a member' }))
      const refused = await carol.publishAsync(`IMS/${group.id}/carol`, forged, { qos: 1 }).then(
        () => null,
        (err: { code?: number }) => err.code ?? -1,
      )
      expect(refused).toBe(0x87) // MQTT 5 PUBACK: Not authorized
    } finally {
      await carol.endAsync()
    }
    await sleep(300)
    const texts = (await alice.services.messages.page({ conversationId: group.conversationId })).messages.map((m) => m.text)
    expect(texts).not.toContain('carol, not a member')
    // It never reached alice's Parley at all: not even dropped there.
    expect(alice.log.lines.some((l) => l.includes('carol is not a member'))).toBe(false)
  })
})
