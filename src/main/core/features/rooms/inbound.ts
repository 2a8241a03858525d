import { createHash } from 'node:crypto'
import { v7 as uuidv7 } from 'uuid'
import type { IPublishPacket } from 'mqtt'
import { conversationId } from '../../../../shared/protocol/conversation-id'
import { MAX_ROOM_PAYLOAD_BYTES, parseRoomPost } from '../../../../shared/protocol/rooms'
import { MAX_TEXT_LENGTH } from '../../../../shared/schemas'
import { topicMatches } from '../../../../shared/protocol/topics'
import type { Account } from '../../kernel/feature'
import type { Logger } from '../../kernel/log'
import type { ForeignMessage } from '../messages/api'
import type { RoomStore } from './store'

/** One room message to store: the message and where it came from. */
export interface Arrival {
  message: ForeignMessage
  topic: string
  retained: boolean
}

const utf8 = new TextDecoder('utf-8', { fatal: true })

/** Two subscriptions of ours that overlap may each get a copy: copies this close together are one message. */
const OVERLAP_WINDOW_MS = 2_000

/**
 * Reads one batch of room packets: plain UTF-8 text in seed 004's format or not.
 * Each goes to every joined room whose filter matches its topic. Dropped with a
 * logged reason: 1 MB+ payloads, text that is not UTF-8, empty or too long text,
 * my own posts coming back (already stored as sent), a retained message seen before.
 */
export class RoomInbound {
  private readonly recent = new Map<string, number>()

  constructor(
    private readonly store: RoomStore,
    private readonly log: Logger,
  ) {}

  read(account: Account, filters: readonly string[], packets: readonly IPublishPacket[], now = Date.now()): Arrival[] {
    const out: Arrival[] = []
    this.prune(now)
    for (const p of packets) {
      const rooms = filters.filter((f) => topicMatches(f, p.topic))
      if (rooms.length === 0) {
        this.log.warn('dropped a room message: no joined room matches its topic', { topic: p.topic })
        continue
      }
      const payload = Buffer.isBuffer(p.payload) ? p.payload : Buffer.from(p.payload)
      if (payload.length >= MAX_ROOM_PAYLOAD_BYTES) {
        this.log.warn('dropped a room message: 1 MB or more', { topic: p.topic, bytes: payload.length })
        continue
      }
      let text: string
      try {
        text = utf8.decode(payload)
      } catch {
        this.log.warn('dropped a room message: not UTF-8 text', { topic: p.topic })
        continue
      }
      const post = parseRoomPost(p.topic, text)
      if (!post.text.trim()) {
        this.log.info('dropped an empty room message', { topic: p.topic })
        continue
      }
      if (post.text.length > MAX_TEXT_LENGTH) {
        this.log.warn('dropped a room message: longer than a message may be', { topic: p.topic, length: post.text.length })
        continue
      }
      if (post.sender === account.user && post.clientId === account.deviceId) continue // my own post, stored when I sent it
      const digest = createHash('sha256').update(p.topic).update('\0').update(payload).digest('base64url')
      if (rooms.length > 1) {
        if (this.recent.has(digest)) continue // the second copy of an overlapping subscription
        this.recent.set(digest, now)
      }
      for (const filter of rooms) {
        if (p.retain && !this.store.freshRetained(filter, p.topic, digest)) continue
        out.push({
          // Time-ordered ids: messages of one batch share `now`, and the history orders ties by id, so they keep their order of arrival.
          message: { id: uuidv7(), conversationId: conversationId('room', filter), sender: post.sender, ts: now, text: post.text },
          topic: p.topic,
          retained: p.retain === true,
        })
      }
    }
    return out
  }

  private prune(now: number): void {
    for (const [k, at] of this.recent) {
      if (now - at <= OVERLAP_WINDOW_MS) break
      this.recent.delete(k)
    }
  }
}
