import Database from 'better-sqlite3'
import type { IPublishPacket } from 'mqtt'
import { describe, expect, it } from 'vitest'
import { silentLogger } from '../../../src/main/core/log'
import { handleInbound, MAX_CLOCK_SKEW_MS } from '../../../src/main/core/messaging/inbound'
import { encodeEnvelope, textEnvelope } from '../../../src/main/core/protocol/codec'
import { migrate } from '../../../src/main/core/store/migrate'
import { MessageStore } from '../../../src/main/core/store/message-store'

describe('a sender clock from the future', () => {
  it('is capped, so the message cannot pin itself below later ones', () => {
    const db = new Database(':memory:')
    migrate(db)
    const store = new MessageStore(db)
    const ctx = { root: 'IMS', user: 'bob', store, log: silentLogger, announce() {} }
    const packet = (ts: number, text: string) =>
      ({ topic: 'IMS/bob/Inbox/Msg/mallory', payload: encodeEnvelope(textEnvelope('mallory', 'd', text, 1, ts)), qos: 1, retain: false }) as unknown as IPublishPacket
    const before = Date.now()
    handleInbound(ctx, [packet(before + 365 * 86_400_000, 'from next year')])
    const [m] = store.page('dm:mallory', null, 10).messages
    expect(m!.ts).toBeLessThanOrEqual(Date.now() + MAX_CLOCK_SKEW_MS)
    expect(m!.ts).toBeGreaterThanOrEqual(before + MAX_CLOCK_SKEW_MS)
    expect(store.getConversation('dm:mallory')!.updatedAt).toBeLessThanOrEqual(Date.now() + MAX_CLOCK_SKEW_MS)
  })
})
