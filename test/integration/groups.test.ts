/**
 * Groups over a real Mosquitto: a group of three (an invite that waits for an
 * offline member, chat, receipts as counts, admin rules, removal, rename), forged
 * and replayed metadata, hostile names and invites for groups that do not exist.
 */
import { Jimp } from 'jimp'
import { describe, expect, it } from 'vitest'
import type { GroupSummary } from '../../src/shared/contract'
import { encodeEnvelope, envelope } from '../../src/main/core/protocol/codec'
import { FAST, publish, sleep, useMosquittoLab, waitFor, type Node } from '../helpers/core'

async function groupOf(node: Node, id: string): Promise<GroupSummary | undefined> {
  return (await node.services.groups.list()).find((g) => g.id === id)
}

async function texts(node: Node, conversationId: string): Promise<string[]> {
  return (await node.services.messages.page({ conversationId, limit: 500 })).messages.map((m) => m.text)
}

/** A small real PNG, as base64. */
async function pngBase64(size: number): Promise<string> {
  const img = new Jimp({ width: size, height: size, color: 0x3366ccff })
  return (await img.getBuffer('image/png')).toString('base64')
}

describe('groups', () => {
  const env = useMosquittoLab({ tuning: FAST })

  it('three people: an invite waits for the offline one, chat, counts, admin rules, removal and rename', async () => {
    const alice = await env.online('alice')
    const bob = await env.online('bob')
    let carol = await env.online('carol')
    const carolDir = carol.dataDir
    await env.lab.close(carol) // offline from here (her broker session keeps what comes)

    const created = await alice.services.groups.create({ name: 'Weekend plans', members: ['bob', 'carol'] })
    expect(created.id).toMatch(/^grp_[a-z2-7]{20}$/)
    expect(created).toMatchObject({ name: 'Weekend plans', membership: 'member', admin: true, version: 1 })
    expect(created.members).toEqual([
      { user: 'alice', state: 'member', admin: true },
      { user: 'bob', state: 'invited', admin: false },
      { user: 'carol', state: 'invited', admin: false },
    ])
    const gid = created.id
    const cid = created.conversationId

    // bob sees the invite (confirmed by the group's metadata) and accepts; alice's metadata lists him as a member.
    expect(await waitFor(async () => (await groupOf(bob, gid))?.membership === 'invited', 'bob to see the invite')).toBe(true)
    expect(await groupOf(bob, gid)).toMatchObject({ name: 'Weekend plans', invitedBy: 'alice', admin: false })
    await bob.services.groups.accept(gid)
    await waitFor(async () => (await groupOf(alice, gid))?.members.find((m) => m.user === 'bob')?.state === 'member', 'alice to list bob as a member')
    await waitFor(async () => (await groupOf(bob, gid))?.version === 2, 'bob to get version 2')

    // carol comes back: the invite waited for her.
    carol = await env.lab.open('carol', undefined, carolDir)
    await carol.connected()
    await waitFor(async () => (await groupOf(carol, gid))?.membership === 'invited', 'carol to see the invite')
    await carol.services.groups.accept(gid)
    await waitFor(async () => (await groupOf(alice, gid))?.members.every((m) => m.state === 'member'), 'everyone a member')
    await waitFor(async () => (await groupOf(carol, gid))?.version === 3, 'carol to get version 3')

    // The conversation is titled with the group's name for everyone.
    for (const n of [alice, bob, carol]) {
      expect((await n.services.conversations.list()).find((c) => c.id === cid)).toMatchObject({ kind: 'group', title: 'Weekend plans', folder: 'inbox' })
    }

    // Chat: one publish reaches both others; receipts come back as counts.
    const hello = await alice.services.messages.send({ conversationId: cid, text: 'Hello @bob and carol' })
    for (const n of [bob, carol]) await waitFor(async () => (await texts(n, cid)).includes('Hello @bob and carol'), `${n.name} to get it`)
    expect(bob.of('groupMention').map((m) => m.messageId)).toEqual([hello.id])
    expect(carol.of('groupMention')).toEqual([])
    await waitFor(async () => (await alice.services.groups.receiptCounts(hello.id)).delivered === 2, 'delivered to 2 of 2')
    await carol.services.conversations.markRead(cid)
    await waitFor(async () => (await alice.services.groups.receiptCounts(hello.id)).read === 1, 'read by 1')
    expect(await alice.services.groups.receiptCounts(hello.id)).toEqual({ messageId: hello.id, groupId: gid, members: 2, delivered: 2, read: 1 })

    await bob.services.messages.send({ conversationId: cid, text: 'hi all' })
    for (const n of [alice, carol]) await waitFor(async () => (await texts(n, cid)).includes('hi all'), `${n.name} to get bob's reply`)

    // Admin rules: bob is no admin.
    await expect(bob.services.groups.remove(gid, 'carol')).rejects.toThrow(/Only an admin/)
    await expect(bob.services.groups.rename(gid, 'Mine now')).rejects.toThrow(/Only an admin/)
    await expect(bob.services.groups.addAdmin(gid, 'bob')).rejects.toThrow(/Only an admin/)

    // alice removes carol: carol sees it and nothing new arrives for her.
    await alice.services.groups.remove(gid, 'carol')
    await waitFor(async () => (await groupOf(carol, gid))?.membership === 'removed', 'carol to see she was removed')
    await waitFor(async () => (await groupOf(bob, gid))?.members.length === 2, 'bob to see carol gone')
    await alice.services.messages.send({ conversationId: cid, text: 'after carol left' })
    await waitFor(async () => (await texts(bob, cid)).includes('after carol left'), 'bob to get the next message')
    // carol cannot post any more; a raw post in her name is dropped by the others.
    await expect(carol.services.messages.send({ conversationId: cid, text: 'still here?' })).rejects.toThrow(/not a member/)
    const raw = await env.lab.client(env.broker.url)
    await publish(raw, `IMS/${gid}/carol`, encodeEnvelope(envelope('text', 'carol', { text: 'sneaking in' })))
    await sleep(400)
    expect(await texts(carol, cid)).not.toContain('after carol left')
    expect(await texts(bob, cid)).not.toContain('sneaking in')
    expect(bob.log.lines.some((l) => l.includes('dropped a group message') && l.includes('carol is not a member'))).toBe(true)

    // Rename reaches bob (group and conversation title).
    await alice.services.groups.rename(gid, 'Sunday plans')
    await waitFor(async () => (await groupOf(bob, gid))?.name === 'Sunday plans', 'bob to see the new name')
    await waitFor(async () => (await bob.services.conversations.list()).find((c) => c.id === cid)?.title === 'Sunday plans', 'the title')

    // A forged member list from bob (no admin) and an old version replayed: both dropped, nothing changes.
    const version = (await groupOf(alice, gid))!.version
    const forged = { name: 'Pwned', members: [{ user: 'bob', state: 'member' as const, admin: true }], version: version + 5 }
    await publish(raw, `IMS/${gid}`, encodeEnvelope(envelope('group-meta', 'bob', forged)), { retain: true })
    const old = { name: 'Weekend plans', members: [{ user: 'alice', state: 'member' as const, admin: true }], version: 1 }
    await publish(raw, `IMS/${gid}`, encodeEnvelope(envelope('group-meta', 'alice', old)), { retain: true })
    // A hostile name, even from the admin's name: refused by the schema (nothing invisible in a group name).
    const hostile = { name: 'evil\u202Egnp', members: [{ user: 'alice', state: 'member' as const, admin: true }], version: version + 1 }
    await publish(raw, `IMS/${gid}`, encodeEnvelope(envelope('group-meta', 'alice', hostile as never)), { retain: true })
    await waitFor(() => alice.log.lines.some((l) => l.includes('not newer')), 'the replay to be dropped')
    await waitFor(() => bob.log.lines.some((l) => l.includes('dropped group metadata') && l.includes('invisible')), 'the hostile name to be dropped')
    for (const n of [alice, bob]) {
      expect(n.log.lines.some((l) => l.includes('dropped group metadata') && l.includes('bob is not an admin'))).toBe(true)
      expect(await groupOf(n, gid)).toMatchObject({ name: 'Sunday plans', version })
    }
  })

  it('one message reaches 20 members, stored once by each', async () => {
    const names = Array.from({ length: 20 }, (_, i) => `m${String(i).padStart(2, '0')}`)
    const nodes = await Promise.all(names.map((n) => env.online(n)))
    const [owner, ...rest] = nodes as [Node, ...Node[]]
    const g = await owner.services.groups.create({ name: 'Twenty', members: names.slice(1) })
    await Promise.all(
      rest.map(async (n) => {
        await waitFor(async () => (await groupOf(n, g.id))?.membership === 'invited', `${n.name} to see the invite`)
        await n.services.groups.accept(g.id)
      }),
    )
    await waitFor(async () => (await groupOf(owner, g.id))?.members.every((m) => m.state === 'member'), 'all 20 members', 15_000)
    await sleep(200) // the accepting members' subscriptions reach the broker
    const m = await owner.services.messages.send({ conversationId: g.conversationId, text: 'to all twenty' })
    await Promise.all(rest.map((n) => waitFor(async () => (await texts(n, g.conversationId)).includes('to all twenty'), `${n.name} to get it`, 10_000)))
    await waitFor(async () => (await owner.services.groups.receiptCounts(m.id)).delivered === 19, 'delivered to 19 of 19', 10_000)
    await sleep(300)
    for (const n of nodes) expect(n.query<{ n: number }>('SELECT count(*) AS n FROM messages WHERE id = ?', m.id)[0]!.n).toBe(1)
  }, 40_000)

  it('hostile names and invites for groups that do not exist are refused or dropped with a reason', async () => {
    const dave = await env.online('dave')
    await expect(dave.services.groups.create({ name: 'evil\u202Egnp' })).rejects.toThrow(/invisible/)
    await expect(dave.services.groups.create({ name: '   ' })).rejects.toThrow(/empty/)
    await expect(dave.services.groups.create({ name: 'x'.repeat(65) })).rejects.toThrow(/at most 64/)
    await expect(dave.services.groups.create({ name: 'ok', members: ['grp_aaaaaaaaaaaaaaaaaaaa'] })).rejects.toThrow(/grp_/)
    await expect(dave.services.groups.accept('team')).rejects.toThrow(/not a group id/)

    const raw = await env.lab.client(env.broker.url)
    const ghost = 'grp_abcdefghijklmnopqrst'
    await publish(raw, 'IMS/dave/Inbox/Group/mallory', encodeEnvelope(envelope('group-membership', 'mallory', { group: ghost, action: 'invite', name: 'Free stuff' })))
    await publish(raw, 'IMS/dave/Inbox/Group/mallory', encodeEnvelope(envelope('group-membership', 'mallory', { group: 'not-a-group', action: 'invite' } as never)))
    await publish(raw, 'IMS/dave/Inbox/Group/eve', encodeEnvelope(envelope('group-membership', 'mallory', { group: ghost, action: 'invite' })))
    await waitFor(() => dave.log.lines.some((l) => l.includes('dropped a group invite') && l.includes('no such group')), 'the ghost invite to be dropped', 6_000)
    expect(dave.log.lines.some((l) => l.includes('dropped a group invite or answer') && l.includes('group'))).toBe(true)
    expect(dave.log.lines.some((l) => l.includes('does not match topic sender'))).toBe(true)
    expect(await dave.services.groups.list()).toEqual([])
    expect(dave.of('group')).toEqual([])
    await expect(dave.services.groups.accept(ghost)).rejects.toThrow(/no such group/)

    // The last member leaves a group whose only others are invitees: it is closed, and the invite is void.
    const ivy = await env.online('ivy')
    const closing = await dave.services.groups.create({ name: 'Short-lived', members: ['ivy'] })
    await waitFor(async () => (await groupOf(ivy, closing.id))?.membership === 'invited', 'ivy to see the invite')
    await dave.services.groups.leave(closing.id)
    await waitFor(() => ivy.of('groupRemoved').some((r) => r.id === closing.id), 'the invite to go')
    expect(await groupOf(ivy, closing.id)).toBeUndefined()
    expect(ivy.log.lines.some((l) => l.includes('dropped a group invite') && l.includes('the group was closed'))).toBe(true)
  })

  it('decline, leave, the last admin handing over, an avatar, mute, and a restart that keeps the group and what came meanwhile', async () => {
    const erin = await env.online('erin')
    const finn = await env.online('finn')
    let gus = await env.online('gus')
    const hal = await env.online('hal')
    const g = await erin.services.groups.create({ name: 'Band', members: ['finn', 'gus', 'hal'], avatar: { base64: await pngBase64(300) } })
    expect(g.avatar).toMatch(/^data:image\/jpeg;base64,/)
    for (const n of [finn, gus, hal]) await waitFor(async () => (await groupOf(n, g.id))?.membership === 'invited', `${n.name} to see the invite`)
    expect((await groupOf(finn, g.id))?.avatar).toBe(g.avatar)

    // hal declines: gone for him, and erin's metadata drops him.
    await hal.services.groups.decline(g.id)
    expect(await groupOf(hal, g.id)).toBeUndefined()
    expect(hal.of('groupRemoved')).toEqual([{ id: g.id }])
    await waitFor(async () => !(await groupOf(erin, g.id))?.members.some((m) => m.user === 'hal'), 'erin to drop hal')

    await finn.services.groups.accept(g.id)
    await gus.services.groups.accept(g.id)
    await waitFor(async () => (await groupOf(erin, g.id))?.members.every((m) => m.state === 'member'), 'finn and gus members')

    // Muted: no ordinary notification, but a mention still says so.
    expect((await gus.services.groups.setMuted(g.id, true)).muted).toBe(true)
    await erin.services.messages.send({ conversationId: g.conversationId, text: 'soundcheck at 6, @gus' })
    await waitFor(() => gus.of('groupMention').length === 1, 'the mention')
    expect(gus.of('groupMention')[0]).toMatchObject({ groupId: g.id, from: 'erin', text: 'soundcheck at 6, @gus' })

    // gus goes offline; erin posts; gus comes back to the group and the message, once.
    const gusDir = gus.dataDir
    await env.lab.close(gus)
    await erin.services.messages.send({ conversationId: g.conversationId, text: 'while you were away' })
    gus = await env.lab.open('gus', undefined, gusDir)
    await gus.connected()
    expect(await groupOf(gus, g.id)).toMatchObject({ membership: 'member', muted: true, name: 'Band' })
    await waitFor(async () => (await texts(gus, g.conversationId)).includes('while you were away'), 'gus to catch up')
    await sleep(300)
    expect((await texts(gus, g.conversationId)).filter((t) => t === 'while you were away')).toHaveLength(1)

    // finn leaves: the history stays, erin drops him.
    expect((await finn.services.groups.leave(g.id)).membership).toBe('left')
    await waitFor(async () => !(await groupOf(erin, g.id))?.members.some((m) => m.user === 'finn'), 'erin to drop finn')
    expect(await texts(finn, g.conversationId)).toContain('soundcheck at 6, @gus')

    // erin, the only admin, leaves: gus becomes the admin and can rename.
    await erin.services.groups.leave(g.id)
    await waitFor(async () => (await groupOf(gus, g.id))?.admin, 'gus to be the admin')
    expect((await groupOf(gus, g.id))?.members).toEqual([{ user: 'gus', state: 'member', admin: true }])
    expect((await gus.services.groups.rename(g.id, 'Gus solo')).name).toBe('Gus solo')
    await expect(finn.services.messages.send({ conversationId: g.conversationId, text: 'back?' })).rejects.toThrow(/not a member/)
  }, 30_000)
})
