import { z } from 'zod'
import { MAX_REQUEST_SECONDS, type Contact } from '../../../../shared/contract'
import { MessageIdSchema, type EnvelopeOf } from '../../../../shared/protocol/envelope'
import { NameSchema, RequestNoteSchema } from '../../../../shared/protocol/names'
import { ParleyError } from '../../../../shared/rpc'
import type { Account } from '../../kernel/feature'
import type { Logger } from '../../kernel/log'
import type { FriendOutbox } from './outbox'
import { toContact, type ContactRow, type ContactStore } from './store'

/** Longest a request stays pending, mine or theirs (theirs is cut to it whatever it says). */
export const MAX_REQUEST_MS = MAX_REQUEST_SECONDS * 1000
/** Most incoming requests kept; past it the oldest go (a flood of made-up names). */
export const MAX_INCOMING = 5000

/** What one device tells my other devices about a person (devices.share('contacts', …)). */
export const SharedContactSchema = z.object({
  user: NameSchema,
  state: z.enum(['contact', 'outgoing', 'declined', 'removed']),
  note: RequestNoteSchema.nullable(),
  since: z.number().int().nonnegative(),
  expiresAt: z.number().int().nonnegative().nullable(),
  requestId: MessageIdSchema.nullable(),
})
export type SharedContact = z.infer<typeof SharedContactSchema>

export interface RequestsDeps {
  store: ContactStore
  outbox: FriendOutbox
  log: Logger
  /** Someone's row changed (the change is told after the commit). */
  touch(user: string): void
  /** Tells my other devices (through the outbox, safe in a transaction). */
  share(data: SharedContact): void
}

const notFound = (message: string) => new ParleyError(message, 'not-found')

/**
 * The friend-request state machine (seed 000 scenario 1), for one account: what my
 * actions and what arrives do to a person's row, and what goes out. Every method
 * runs inside the caller's transaction.
 */
export class FriendRequests {
  constructor(private readonly d: RequestsDeps) {}

  get(user: string): Contact | null {
    const row = this.d.store.get(user)
    return row ? toContact(row) : null
  }

  /** I ask `user`; if they asked me first, that is an accept. */
  request(account: Account, user: string, note: string | null, expiresInMs: number, now = Date.now()): Contact {
    if (user === account.user) throw new ParleyError('You cannot send yourself a friend request.', 'invalid-argument')
    const row = this.d.store.get(user)
    if (row?.state === 'contact') return toContact(row)!
    if (row?.state === 'incoming') return this.accept(account, user, now)
    const expiresAt = now + Math.min(expiresInMs, MAX_REQUEST_MS)
    const requestId = this.d.outbox.request(account, user, { action: 'request', ...(note ? { note } : {}), expires: expiresAt }, now)
    const next: ContactRow = { user, state: 'outgoing', note, since: now, expiresAt, requestId, delivery: 'queued', error: null }
    this.write(next)
    this.d.share(shared(next))
    return toContact(next)!
  }

  /** I accept `user`'s request: each becomes a contact of the other. */
  accept(account: Account, user: string, now = Date.now()): Contact {
    const row = this.d.store.get(user)
    if (row?.state === 'contact') {
      // Accepted before, but the broker refused the answer: send it again.
      if (row.delivery === 'failed') this.resendAccept(account, row)
      return toContact(this.d.store.get(user)!)!
    }
    if (row?.state !== 'incoming') throw notFound(`There is no friend request from ${user}.`)
    const next = this.contact(user, now, 'queued')
    this.d.outbox.answer(account, user, 'accept')
    this.d.share(shared(next))
    return toContact(next)!
  }

  /** I decline `user`'s request; they are told, and re-offers of it get the same answer. */
  decline(account: Account, user: string): void {
    const row = this.d.store.get(user)
    if (row?.state === 'declined') return
    if (row?.state !== 'incoming') throw notFound(`There is no friend request from ${user}.`)
    const next: ContactRow = { ...row, state: 'declined', note: null, delivery: 'queued', error: null }
    this.write(next)
    this.d.outbox.answer(account, user, 'decline')
    this.d.share(shared(next))
  }

  /** I withdraw my request to `user`. */
  cancel(account: Account, user: string, now = Date.now()): void {
    const row = this.d.store.get(user)
    if (row?.state !== 'outgoing') throw notFound(`You have no pending friend request to ${user}.`)
    this.d.store.remove(user)
    this.d.touch(user)
    this.d.outbox.cancel(account, user)
    this.d.share({ ...shared(row), state: 'removed', since: now })
  }

  /** Takes `user` off my list: a contact is removed (here only), a pending request is withdrawn or declined. */
  remove(account: Account, user: string, now = Date.now()): void {
    const row = this.d.store.get(user)
    if (row?.state === 'outgoing') return this.cancel(account, user, now)
    if (row?.state === 'incoming') return this.decline(account, user)
    if (row?.state !== 'contact') throw notFound(`${user} is not in your contacts.`)
    this.d.store.remove(user)
    this.d.touch(user)
    this.d.share({ ...shared(row), state: 'removed', since: now })
  }

  /**
   * A request (or its withdrawal) from `from` arrived. Re-offers of one already
   * stored change nothing; a newer one replaces the note; one from someone I asked
   * too, or who is my contact already, is answered with an accept.
   */
  received(account: Account, from: string, e: EnvelopeOf<'friend-request'>, now = Date.now()): 'stored' | 'changed' | 'unchanged' {
    const row = this.d.store.get(from)
    if (e.body.action === 'cancel') {
      if (!row || (row.state !== 'incoming' && row.state !== 'declined')) return 'unchanged'
      this.d.store.remove(from)
      if (row.state === 'incoming') this.d.touch(from)
      return 'changed'
    }
    const since = Math.min(e.ts, now)
    const expiresAt = Math.min(e.body.expires ?? since + MAX_REQUEST_MS, now + MAX_REQUEST_MS)
    if (expiresAt <= now) {
      this.d.log.info('dropped a friend request', { from, reason: 'it lapsed' })
      return 'unchanged'
    }
    switch (row?.state) {
      case 'contact':
        // They did not hear my accept (or removed me and ask again): answer again.
        this.resendAccept(account, row)
        return 'unchanged'
      case 'outgoing':
        // We asked each other: that is an accept, on both sides.
        this.d.outbox.forget(from)
        this.d.outbox.answer(account, from, 'accept')
        this.d.share(shared(this.contact(from, now, 'queued')))
        return 'changed'
      case 'declined':
        if (row.requestId === e.id) {
          this.d.outbox.answer(account, from, 'decline')
          return 'unchanged'
        }
        break
      case 'incoming':
        if (row.requestId === e.id || e.ts < row.since) return 'unchanged'
        break
    }
    this.write({ user: from, state: 'incoming', note: e.body.note ?? null, since, expiresAt, requestId: e.id, delivery: null, error: null })
    return 'stored'
  }

  /** `from` answered my request. */
  answered(from: string, e: EnvelopeOf<'friend-response'>, now = Date.now()): void {
    const row = this.d.store.get(from)
    if (row?.state !== 'outgoing') {
      if (row?.state !== 'contact') this.d.log.info('ignored a friend answer', { from, reason: 'no request of mine to them is pending' })
      return
    }
    this.d.outbox.forget(from)
    if (e.body.answer === 'accept') this.contact(from, now, 'sent')
    else {
      this.d.store.remove(from)
      this.d.touch(from)
    }
  }

  /** What another device of mine did. Older news than what is stored here is ignored. */
  applyShared(data: SharedContact, now = Date.now()): void {
    const row = this.d.store.get(data.user)
    if (row && row.since > data.since) return
    if (data.state === 'removed') {
      if (row && this.d.store.remove(data.user)) this.d.touch(data.user)
      return
    }
    const expiresAt = data.state === 'contact' ? null : data.expiresAt
    if (expiresAt !== null && expiresAt <= now) return
    if (data.state !== 'contact' && expiresAt === null) return
    this.write({ user: data.user, state: data.state, note: data.note, since: data.since, expiresAt, requestId: data.requestId, delivery: null, error: null })
  }

  /** Drops the oldest incoming requests beyond MAX_INCOMING; returns how many went. */
  trim(): number {
    if (this.d.store.count('incoming') <= MAX_INCOMING) return 0
    const dropped = this.d.store.trimIncoming(MAX_INCOMING)
    for (const user of dropped) this.d.touch(user)
    this.d.log.warn('dropped the oldest friend requests', { count: dropped.length, reason: `more than ${MAX_INCOMING} pending` })
    return dropped.length
  }

  /** Lapsed requests leave both lists (each side on its own clock); returns how many. */
  expire(now = Date.now()): number {
    const gone = this.d.store.expire(now)
    for (const { user, state } of gone) {
      if (state === 'outgoing') this.d.outbox.forget(user)
      if (state !== 'declined') this.d.touch(user)
    }
    if (gone.length) this.d.log.info('friend requests lapsed', { count: gone.length })
    return gone.length
  }

  private contact(user: string, now: number, delivery: ContactRow['delivery']): ContactRow {
    const next: ContactRow = { user, state: 'contact', note: null, since: now, expiresAt: null, requestId: null, delivery, error: null }
    this.write(next)
    return next
  }

  private resendAccept(account: Account, row: ContactRow): void {
    this.d.outbox.answer(account, row.user, 'accept')
    if (row.delivery !== 'queued') this.write({ ...row, delivery: 'queued', error: null })
  }

  private write(row: ContactRow): void {
    this.d.store.put(row)
    this.d.touch(row.user)
  }
}

function shared(row: ContactRow): SharedContact {
  return {
    user: row.user,
    state: row.state === 'incoming' ? 'removed' : row.state,
    note: row.note,
    since: row.since,
    expiresAt: row.expiresAt,
    requestId: row.requestId,
  }
}
