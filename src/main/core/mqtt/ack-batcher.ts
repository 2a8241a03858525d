import type { IPublishPacket, MqttClient } from 'mqtt'
import type { Logger } from '../kernel/log'

/** Largest batch committed at once; a burst past it is committed in slices. */
const MAX_BATCH = 1000
/** Passed to MQTT.js's handleMessage callback to skip its immediate PUBACK (see receive()). */
const ACK_LATER = Object.assign(new Error('acknowledged after commit'), { parleyAckLater: true })

/** MQTT.js keeps its packet writer private; this is the one internal Parley uses. */
function sendPuback(client: MqttClient, messageId: number): void {
  ;(client as unknown as { _sendPacket(p: unknown): void })._sendPacket({ cmd: 'puback', messageId })
}

export interface AckBatcherHooks {
  /** Stores a batch; a throw (or rejection) withholds every PUBACK of it. */
  commit(packets: IPublishPacket[]): Promise<void> | void
  /** Whether a PUBACK for a packet that arrived on connection `epoch` may still go out on `client`. */
  current(client: MqttClient, epoch: number): boolean
  /** A commit failed: cut `client`'s connection so the broker delivers the batch again. */
  cut(client: MqttClient): void
}

/**
 * Acknowledge after commit, in batches. MQTT.js hands us one packet at a time and
 * waits for `done` before the next, so acking each after its own commit costs a
 * disk transaction per message. Instead each QoS 1 packet is queued and `done` is
 * called with a marker error, which makes MQTT.js skip its automatic PUBACK and
 * read on; once the packets already received (one nextTick each) are queued, a
 * setImmediate commits them in one transaction and only then sends their PUBACKs.
 */
export class AckBatcher {
  private batch: { packet: IPublishPacket; epoch: number }[] = []

  constructor(
    private readonly hooks: AckBatcherHooks,
    private readonly log: Logger,
  ) {}

  receive(client: MqttClient, packet: IPublishPacket, done: (err?: Error) => void, epoch: number): void {
    if (packet.qos === 2) {
      // QoS 2 completes at PUBREL through MQTT.js's own store; commit it alone.
      void this.commit([{ packet, epoch }]).then((ok) => done(ok ? undefined : new Error('not stored')))
      return
    }
    this.batch.push({ packet, epoch })
    if (this.batch.length === 1) setImmediate(() => void this.flush(client))
    else if (this.batch.length >= MAX_BATCH) void this.flush(client)
    done(packet.qos === 1 ? ACK_LATER : undefined)
  }

  private async flush(client: MqttClient): Promise<void> {
    const items = this.batch
    if (items.length === 0) return
    this.batch = []
    if (!(await this.commit(items))) {
      // A broker redelivers unacknowledged messages only on a new connection, and stops
      // sending once its in-flight window is full: without a reconnect, nothing more arrives.
      this.hooks.cut(client)
      return
    }
    for (const { packet, epoch } of items) {
      if (packet.qos === 1 && this.hooks.current(client, epoch)) sendPuback(client, packet.messageId!)
    }
  }

  private async commit(items: readonly { packet: IPublishPacket; epoch: number }[]): Promise<boolean> {
    try {
      await this.hooks.commit(items.map((i) => i.packet))
      return true
    } catch (err) {
      // Unacknowledged, so the broker redelivers after the next reconnect.
      this.log.error('could not store incoming messages', { error: (err as Error).message, count: items.length })
      return false
    }
  }
}
