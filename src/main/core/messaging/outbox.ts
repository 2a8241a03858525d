import { ENVELOPE_VERSION } from '../../../shared/envelope'
import { directTopic } from '../../../shared/topics'
import type { Logger } from '../log'
import type { MqttSession } from '../mqtt/session'
import { encodeEnvelope } from '../protocol/codec'
import type { MessageStore, OutboxItem } from '../store/message-store'

/**
 * The send path: a message is a 'pending' row before it is published, so it
 * survives a crash or a dropped connection; it becomes 'sent' when the broker
 * acknowledges it. Everything pending goes out again on each connection.
 */
export class Outbox {
  /** id → the publish attempt in flight, so a stale attempt's end does not clear a newer one. */
  private readonly inflight = new Map<string, symbol>()

  constructor(
    private readonly ctx: {
      root: string
      user: string
      store: MessageStore
      session: () => MqttSession | null
      log: Logger
      onSent(messageId: string): void
    },
  ) {}

  flush(): void {
    for (const item of this.ctx.store.outbox()) this.publish(item)
  }

  /**
   * On every new connection: MQTT.js does not carry unacknowledged publishes over
   * a reconnect, so whatever was in flight is published again (receivers drop the
   * duplicate by its id) along with everything else pending.
   */
  onConnected(): void {
    this.inflight.clear()
    this.flush()
  }

  publish(item: OutboxItem): void {
    const session = this.ctx.session()
    if (!session?.connected || this.inflight.has(item.id)) return
    const attempt = Symbol(item.id)
    this.inflight.set(item.id, attempt)
    const payload = encodeEnvelope({
      v: ENVELOPE_VERSION,
      id: item.id,
      type: 'text',
      from: this.ctx.user,
      ...(item.senderDevice ? { dev: item.senderDevice } : {}),
      ts: item.ts,
      ...(item.seq !== null ? { seq: item.seq } : {}),
      body: { text: item.text },
    })
    session
      .publish(directTopic(this.ctx.root, item.peer, this.ctx.user), payload, { qos: 1 })
      .then(() => {
        if (this.ctx.store.markSent(item.id)) this.ctx.onSent(item.id)
      })
      .catch((err: Error) => this.ctx.log.info('message stays in the outbox', { id: item.id, reason: err.message }))
      .finally(() => {
        if (this.inflight.get(item.id) === attempt) this.inflight.delete(item.id)
      })
  }
}
