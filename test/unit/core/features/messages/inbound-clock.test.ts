import type { IPublishPacket } from 'mqtt'
import { describe, expect, it } from 'vitest'
import { handleDirect, MAX_CLOCK_SKEW_MS } from '../../../../../src/main/core/features/messages/inbound'
import { silentLogger } from '../../../../../src/main/core/kernel/log'
import { Codec, encodeEnvelope, textEnvelope } from '../../../../../src/main/core/protocol/codec'
import { openStores } from '../stores'

describe('a sender clock from the future', () => {
  it('is capped, so the message cannot pin itself below later ones', () => {
    const { db, messages: store, conversations } = openStores()
    const ctx = { account: { root: 'IMS', user: 'bob', deviceId: 'd' }, store, codec: new Codec(), log: silentLogger, announce() {}, listeners: [] }
    const packet = (ts: number, text: string) =>
      ({ topic: 'IMS/bob/Inbox/Msg/mallory', payload: encodeEnvelope(textEnvelope('mallory', 'd', text, 1, ts)), qos: 1, retain: false }) as unknown as IPublishPacket
    const before = Date.now()
    handleDirect(ctx, [packet(before + 365 * 86_400_000, 'from next year')])
    const [m] = store.page('dm:mallory', null, 10).messages
    expect(m!.ts).toBeLessThanOrEqual(Date.now() + MAX_CLOCK_SKEW_MS)
    expect(m!.ts).toBeGreaterThanOrEqual(before + MAX_CLOCK_SKEW_MS)
    expect(conversations.get('dm:mallory')!.updatedAt).toBeLessThanOrEqual(Date.now() + MAX_CLOCK_SKEW_MS)
    // A timestamp within the allowed skew is kept as the sender wrote it.
    const near = Date.now() + 60_000
    handleDirect(ctx, [packet(near, 'a minute ahead')])
    expect(store.page('dm:mallory', null, 10).messages.find((x) => x.text === 'a minute ahead')!.ts).toBe(near)
    db.close()
  })
})
