import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { encodeEnvelope, envelope } from '../../../../../src/main/core/protocol/codec'
import { settle } from '../../mqtt/fake-session'
import { openRig, type Rig } from './rig'

const fromCarol = () => encodeEnvelope(envelope('text', 'carol', { text: 'hi' }))

describe('blocking feature', () => {
  let rig: Rig
  beforeEach(() => {
    rig = openRig()
    rig.connect()
  })
  afterEach(() => rig.close())

  it('blocks: the codec refuses the person, an Unsub goes out through the outbox, my other devices are told, the UI hears of it', async () => {
    expect(rig.codec.decode('IMS/alice/Inbox/Msg/carol', fromCarol(), 'text', 'carol').ok).toBe(true)
    const b = await rig.blocking.block('carol', { notify: true })
    expect(b).toEqual({ user: 'carol', since: expect.any(Number), notified: true })
    expect(rig.blockingApi.isBlocked('carol')).toBe(true)
    expect(rig.codec.decode('IMS/alice/Inbox/Msg/carol', fromCarol(), 'text', 'carol')).toEqual({ ok: false, reason: 'the sender is blocked' })
    // Someone else is not affected.
    expect(rig.codec.decode('IMS/alice/Inbox/Msg/dave', encodeEnvelope(envelope('text', 'dave', { text: 'hi' })), 'text', 'dave').ok).toBe(true)

    await settle()
    expect(rig.session.topics).toEqual(['IMS/carol/Inbox/Update/alice/Unsub'])
    expect(JSON.parse(rig.session.payloads[0]!)).toMatchObject({ type: 'unsub', from: 'alice', dev: 'alice-dev', body: { notify: true } })
    expect(rig.session.sent[0]!.opts).toMatchObject({ qos: 1 })
    // Acknowledged: nothing left in the outbox.
    await settle()
    expect(rig.db.prepare(`SELECT count(*) AS n FROM outbox`).get()).toEqual({ n: 0 })

    expect(rig.devices.shared).toEqual([{ kind: 'blocks', data: { user: 'carol', blocked: true, at: b.since, notified: true } }])
    expect(rig.events.filter((e) => e.event === 'blocked').map((e) => e.payload)).toEqual([{ user: 'carol', blocked: true }])
    expect(await rig.blocking.list()).toEqual([b])
  })

  it('a silent block says notify: false; blocking again changes nothing and sends nothing more', async () => {
    const b = await rig.blocking.block('carol')
    expect(b.notified).toBe(false)
    await settle()
    expect(JSON.parse(rig.session.payloads[0]!).body).toEqual({ notify: false })
    expect(await rig.blocking.block('carol', { notify: true })).toEqual(b)
    await settle()
    expect(rig.session.sent).toHaveLength(1)
    expect(rig.events.filter((e) => e.event === 'blocked')).toHaveLength(1)
  })

  it('survives a restart: the codec of the new run refuses the person at once', async () => {
    await rig.blocking.block('carol')
    const again = rig.restart()
    try {
      expect(again.blockingApi.isBlocked('carol')).toBe(true)
      expect(again.codec.decode('IMS/alice/Inbox/Msg/carol', fromCarol(), 'text', 'carol')).toEqual({ ok: false, reason: 'the sender is blocked' })
      expect((await again.blocking.list()).map((b) => b.user)).toEqual(['carol'])
    } finally {
      again.publisher.close()
    }
  })

  it('unblocks: messages decode again, retained presence and profiles are asked for again, listeners and devices are told', async () => {
    const changes: [string, boolean][] = []
    rig.blockingApi.onChange((user, blocked) => changes.push([user, blocked]))
    await rig.blocking.block('carol')
    await rig.blocking.unblock('carol')
    expect(rig.blockingApi.isBlocked('carol')).toBe(false)
    expect(rig.codec.decode('IMS/alice/Inbox/Msg/carol', fromCarol(), 'text', 'carol').ok).toBe(true)
    expect(rig.replays).toBe(1)
    expect(changes).toEqual([
      ['carol', true],
      ['carol', false],
    ])
    expect(rig.devices.shared.map((s) => s.data)).toMatchObject([{ blocked: true }, { user: 'carol', blocked: false }])
    expect(await rig.blocking.list()).toEqual([])
    // Unblocking someone not blocked is a no-op.
    await rig.blocking.unblock('dave')
    expect(rig.replays).toBe(1)
    expect(rig.events.filter((e) => e.event === 'blocked')).toHaveLength(2)
  })

  it('after an unblock, messages, moments and requests sent during the block stay out (their client offers them again); presence and newer ones pass', async () => {
    const before = Date.now() - 1
    const pause = () => new Promise((r) => setTimeout(r, 5))
    await pause()
    await rig.blocking.block('carol')
    await pause()
    const during = Date.now()
    await pause()
    await rig.blocking.unblock('carol')
    const decode = (type: 'text' | 'moment' | 'friend-request' | 'presence', ts: number) => {
      const bodies = { text: { text: 'hi' }, moment: { text: 'hi' }, 'friend-request': { action: 'request' }, presence: { state: 'away' } } as const
      return rig.codec.decode('IMS/x', encodeEnvelope(envelope(type, 'carol', bodies[type] as never, { ts })), type, 'carol')
    }
    for (const type of ['text', 'moment', 'friend-request'] as const) {
      expect(decode(type, during)).toEqual({ ok: false, reason: 'sent while the sender was blocked' })
      expect(decode(type, before).ok).toBe(true)
      expect(decode(type, Date.now() + 1).ok).toBe(true)
    }
    expect(decode('presence', during).ok).toBe(true)
    // Remembered across a restart; a new block starts over.
    const again = rig.restart()
    try {
      expect(again.codec.decode('IMS/x', encodeEnvelope(envelope('text', 'carol', { text: 'hi' }, { ts: during })), 'text', 'carol')).toMatchObject({ ok: false })
      await again.blocking.block('carol')
      expect((await again.blocking.list()).map((b) => b.user)).toEqual(['carol'])
      await again.blocking.unblock('carol')
      expect(await again.blocking.list()).toEqual([])
    } finally {
      again.publisher.close()
    }
  })

  it('refuses to block myself and names that are not names, with a reason a person can act on', async () => {
    await expect(rig.blocking.block('alice')).rejects.toMatchObject({ code: 'invalid-argument', message: 'You cannot block yourself.' })
    await expect(rig.blocking.block('x/y')).rejects.toMatchObject({ code: 'invalid-argument', message: 'A name cannot contain "/", "+" or "#".' })
    await expect(rig.blocking.unblock('')).rejects.toMatchObject({ code: 'invalid-argument', message: 'A name is required.' })
    await settle()
    expect(rig.session.sent).toEqual([])
    expect(await rig.blocking.list()).toEqual([])
  })

  it('a block or unblock from another device of mine applies here (without a second Unsub); a bad item is refused by its schema', async () => {
    const shared = rig.devices.handlers.get('blocks')!
    expect(shared).toBeDefined()
    const item = shared.schema.safeParse({ user: 'carol', blocked: true, at: 5, notified: false })
    expect(item.success).toBe(true)
    expect(shared.schema.safeParse({ user: 'ca/rol', blocked: true, at: 5, notified: false }).success).toBe(false)
    const after = rig.db.transaction(() => shared.handler(item.data, { device: 'alice-phone', ts: 5 }))()
    expect(rig.blockingApi.isBlocked('carol')).toBe(true)
    after?.()
    expect(await rig.blocking.list()).toEqual([{ user: 'carol', since: 5, notified: false }])
    expect(rig.events.filter((e) => e.event === 'blocked').map((e) => e.payload)).toEqual([{ user: 'carol', blocked: true }])
    await settle()
    expect(rig.session.sent).toEqual([])
    // The same again changes nothing; then the unblock.
    expect(rig.db.transaction(() => shared.handler(item.data, { device: 'alice-phone', ts: 6 }))()).toBeUndefined()
    rig.db.transaction(() => shared.handler({ user: 'carol', blocked: false, at: 7, notified: false }, { device: 'alice-phone', ts: 7 }))()?.()
    expect(rig.blockingApi.isBlocked('carol')).toBe(false)
    expect(rig.replays).toBe(1)
    // An item naming me is ignored.
    expect(rig.db.transaction(() => shared.handler({ user: 'alice', blocked: true, at: 8, notified: false }, { device: 'alice-phone', ts: 8 }))()).toBeUndefined()
    expect(rig.blockingApi.isBlocked('alice')).toBe(false)
  })
})
