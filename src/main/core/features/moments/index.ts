import type { IPublishPacket } from 'mqtt'
import { z } from 'zod'
import { FeedQuerySchema, type Moment } from '../../../../shared/contract'
import { NameSchema } from '../../../../shared/protocol/names'
import { momentsTopic, unsubFilter } from '../../../../shared/protocol/topics'
import { ParleyError } from '../../../../shared/rpc'
import { MessageTextSchema } from '../../../../shared/schemas'
import { defineFeature, type Account } from '../../kernel/feature'
import type { AfterCommit, Route } from '../../mqtt/router'
import { envelope } from '../../protocol/codec'
import { decodeInbox } from '../../protocol/inbox'
import type { BlockingApi } from '../blocking/api'
import type { ContactsApi } from '../contacts/api'
import type { DevicesApi } from '../devices/api'
import { migration0012 } from './migrations/0012_moments'
import { MomentStore } from './store'

const OWNER = 'moments'
/** Whom I chose to follow or not, told to my other devices. */
const SHARED_KIND = 'follows'
const SharedFollowSchema = z.object({ user: NameSchema, following: z.boolean() })
/** How far ahead of our clock an author's timestamp may be before it is capped (as for messages). */
export const MAX_CLOCK_SKEW_MS = 5 * 60_000

/** A person-readable reason for a bad argument, as the IPC boundary would give it. */
function parsed<T>(schema: z.ZodType<T>, value: unknown): T {
  const r = schema.safeParse(value)
  if (!r.success) throw new ParleyError(r.error.issues[0]?.message ?? 'Invalid argument.', 'invalid-argument')
  return r.data
}

/**
 * Moments (seed 000 scenario 2). I post to `R/{me}` (stored outbox, QoS 1, not
 * retained); whoever follows me subscribes to it, and their broker session keeps
 * what I post while they are away. I follow my accepted contacts unless I chose
 * not to, plus whoever I chose to follow, never someone I blocked: one route per
 * person, changed at run time. Someone who blocks me sends seed 000's Unsub on
 * `R/{me}/Inbox/Update/{them}/Unsub`: I stop following them, for good.
 */
export const momentsFeature = defineFeature({
  name: 'moments',
  dependsOn: ['devices', 'blocking', 'contacts'],
  migrations: [migration0012],
  create(ctx) {
    const blocking = ctx.use<BlockingApi>('blocking')
    const contacts = ctx.use<ContactsApi>('contacts')
    const devices = ctx.use<DevicesApi>('devices')
    const store = new MomentStore(ctx.db)
    /** The people whose routes are in the router now (what routes() or a resync last put there). */
    let routed = new Set<string>()

    const emit = (m: Moment | null): void => {
      if (m) ctx.events.emit('moment', m)
    }

    /** Whom `me` follows now: contacts unless unfollowed, plus chosen ones, never myself or the blocked. */
    const following = (me: string): Set<string> => {
      const choices = store.choices()
      const set = new Set<string>()
      for (const c of contacts.contacts()) if (choices.get(c) !== false) set.add(c)
      for (const [user, on] of choices) if (on) set.add(user)
      set.delete(me)
      for (const user of set) if (blocking.isBlocked(user)) set.delete(user)
      return set
    }

    /**
     * Stores the moments `author` posted (dedupe by id); returns the new ones to
     * announce after the commit. On my own topic they are mine: posted from my other
     * devices (or this one's echo, already stored).
     */
    const handleMoments = (account: Account, author: string, packets: readonly IPublishPacket[]): AfterCommit => {
      const mine = author === account.user
      const fresh: Moment[] = []
      const now = Date.now()
      for (const p of packets) {
        // The topic names the author and the envelope must agree: nobody posts as someone else.
        const decoded = ctx.codec.decode(p.topic, p.payload as Uint8Array, 'moment', author)
        if (!decoded.ok) {
          ctx.log.warn('dropped a moment', { topic: p.topic, reason: decoded.reason })
          continue
        }
        const e = decoded.envelope
        if (e.body.text.trim().length === 0) {
          ctx.log.warn('dropped a moment', { topic: p.topic, reason: 'empty text' })
          continue
        }
        // The author's clock orders the feed, but one from the future would pin it to the top.
        const ts = Math.min(e.ts, now + MAX_CLOCK_SKEW_MS)
        const m: Moment = { id: e.id, author, text: e.body.text, ts, mine, status: mine ? 'sent' : 'received' }
        if (store.insert(m, now)) fresh.push(m)
        else ctx.log.debug('moment already stored', { id: e.id, author })
      }
      if (fresh.length) return () => fresh.forEach(emit)
    }

    /** `user`'s moments topic; for my own, my other devices' posts (each device follows itself). */
    const momentRoute = (account: Account, user: string): Route => ({
      filter: momentsTopic(account.root, user),
      qos: 1,
      // A retained post would reach every new follower forever, and anyone may set one.
      retained: 'drop',
      handle: (packets) => handleMoments(account, user, packets),
    })

    /** Brings the routes in line with whom I follow now (a contact, a block, a choice, an Unsub). */
    const resync = (): void => {
      const account = ctx.account()
      if (!account) return
      const want = following(account.user)
      for (const user of routed) if (!want.has(user)) ctx.removeRoute(momentsTopic(account.root, user))
      for (const user of want) if (!routed.has(user)) ctx.addRoute(momentRoute(account, user))
      routed = want
    }

    /** seed 000's Unsub: the sender blocked me; stop following them and remember it. */
    const handleUnsub = (account: Account, packets: readonly IPublishPacket[]): AfterCommit => {
      const told: { user: string; notify: boolean }[] = []
      const wasFollowing = following(account.user)
      for (const { from, envelope: e } of decodeInbox({ codec: ctx.codec, log: ctx.log, account }, packets, 'unsub', 'an unfollow notice')) {
        // Only news once: a repeat, or a notice from someone I did not follow, changes nothing (and
        // stores nothing: a flood of notices from made-up names must not grow the table).
        if (!wasFollowing.delete(from)) continue
        store.choose(from, false)
        told.push({ user: from, notify: e.body.notify })
      }
      if (told.length === 0) return
      return () => {
        resync()
        for (const t of told) ctx.events.emit('unfollowedBy', t)
      }
    }

    // The publisher calls these inside its transaction: the UI hears of the change once it is committed.
    const emitAfterCommit = (m: ReturnType<typeof store.setStatus>): void => void setImmediate(() => emit(m))
    ctx.publisher.register(OWNER, {
      acked: (id) => emitAfterCommit(store.setStatus(id, 'sent')),
      failed: (id, reason) => {
        ctx.log.warn('a moment was not posted', { id, reason })
        emitAfterCommit(store.setStatus(id, 'failed'))
      },
    })

    contacts.onChange(() => resync())
    blocking.onChange(() => resync())
    // A follow or unfollow on another device of mine: the same here.
    devices.onShared(SHARED_KIND, SharedFollowSchema, (c) => {
      if (c.user === ctx.account()?.user) return
      store.choose(c.user, c.following)
      return () => resync()
    })

    return {
      routes(account) {
        routed = following(account.user)
        return [
          { filter: unsubFilter(account.root, account.user), qos: 1, retained: 'drop', handle: (ps) => handleUnsub(account, ps) },
          ...[account.user, ...routed].map((user) => momentRoute(account, user)),
        ]
      },
      onAccount() {
        routed = new Set()
      },
      service: {
        async post(text) {
          const account = ctx.requireAccount()
          const body = parsed(MessageTextSchema, text)
          const topic = momentsTopic(account.root, account.user)
          const e = envelope('moment', account.user, { text: body }, { dev: account.deviceId })
          const m: Moment = { id: e.id, author: account.user, text: body, ts: e.ts, mine: true, status: 'pending' }
          ctx.db.transaction(() => {
            store.insert(m)
            // Followers' broker sessions queue it; one who never connected misses it (no re-offer: nobody confirms a post).
            ctx.publisher.enqueue({ owner: OWNER, ref: e.id, topic, payload: ctx.codec.encode(e, topic) })
          })()
          emit(m)
          return store.get(m.id) ?? m
        },
        async feed(query) {
          const q = parsed(FeedQuerySchema, query ?? {})
          const me = ctx.account()?.user
          const authors = me ? [...following(me)] : []
          return store.page(authors, q.before, q.limit)
        },
        async following() {
          const me = ctx.account()?.user
          return me ? [...following(me)].sort() : []
        },
        async follow(user, on) {
          const account = ctx.requireAccount()
          const name = parsed(NameSchema, user)
          if (typeof on !== 'boolean') throw new ParleyError('follow takes true (follow) or false (unfollow).', 'invalid-argument')
          if (name === account.user) throw new ParleyError('Your own moments are always in your feed.', 'invalid-argument')
          if (on && blocking.isBlocked(name)) throw new ParleyError(`You blocked ${name}: unblock them to follow their moments.`, 'invalid-argument')
          ctx.db.transaction(() => {
            store.choose(name, on)
            devices.share(SHARED_KIND, { user: name, following: on } satisfies z.infer<typeof SharedFollowSchema>)
          })()
          resync()
          return [...following(account.user)].sort()
        },
      },
    }
  },
})
