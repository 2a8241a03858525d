import type { EnvelopeBody } from '../../../../shared/protocol/envelope'
import { inboxTopic } from '../../../../shared/protocol/topics'
import type { Account, FeatureContext } from '../../kernel/feature'
import { envelope } from '../../protocol/codec'

export const OWNER = 'contacts'

/**
 * What contacts keeps in the kernel's outbox, one entry per kind and person (a new
 * one replaces the old): my request (offered again until answered), my answer to
 * theirs, and the withdrawal of mine.
 */
export type OutboxKind = 'request' | 'answer' | 'cancel'

export function refOf(kind: OutboxKind, user: string): string {
  return `${kind}:${user}`
}

export function parseRef(ref: string): { kind: OutboxKind; user: string } | null {
  const at = ref.indexOf(':')
  const kind = ref.slice(0, at)
  if (at <= 0 || (kind !== 'request' && kind !== 'answer' && kind !== 'cancel')) return null
  return { kind, user: ref.slice(at + 1) }
}

/** Friend requests and answers on their way out, through the stored outbox (QoS 1, kept across restarts). */
export class FriendOutbox {
  constructor(private readonly ctx: Pick<FeatureContext, 'publisher' | 'codec'>) {}

  /** Asks `user` (seed 000: `R/{user}/Inbox/Add/GFReq/{me}`); offered again until an answer arrives. Returns the envelope's id. */
  request(account: Account, user: string, body: EnvelopeBody<'friend-request'>, ts: number): string {
    const topic = inboxTopic(account.root, 'Add/GFReq', user, account.user)
    const e = envelope('friend-request', account.user, body, { dev: account.deviceId, ts })
    this.ctx.publisher.enqueue({ owner: OWNER, ref: refOf('request', user), topic, payload: this.ctx.codec.encode(e, topic), reoffer: true })
    return e.id
  }

  /** Withdraws my request: no more offers, and `user` is told. */
  cancel(account: Account, user: string): void {
    this.forget(user)
    const topic = inboxTopic(account.root, 'Add/GFReq', user, account.user)
    const e = envelope('friend-request', account.user, { action: 'cancel' }, { dev: account.deviceId })
    this.ctx.publisher.enqueue({ owner: OWNER, ref: refOf('cancel', user), topic, payload: this.ctx.codec.encode(e, topic) })
  }

  /** Answers `user`'s request (`R/{user}/Inbox/Add/GFResp/{me}`). */
  answer(account: Account, user: string, answer: EnvelopeBody<'friend-response'>['answer']): void {
    const topic = inboxTopic(account.root, 'Add/GFResp', user, account.user)
    const e = envelope('friend-response', account.user, { answer }, { dev: account.deviceId })
    this.ctx.publisher.enqueue({ owner: OWNER, ref: refOf('answer', user), topic, payload: this.ctx.codec.encode(e, topic) })
  }

  /** My request to `user` is answered, lapsed or withdrawn: stop offering it. */
  forget(user: string): void {
    this.ctx.publisher.cancel(OWNER, refOf('request', user))
  }

  /** Offers my pending request to `user` again now (they just came online). */
  reoffer(account: Account, user: string): void {
    this.ctx.publisher.reofferTopic(inboxTopic(account.root, 'Add/GFReq', user, account.user))
  }
}
