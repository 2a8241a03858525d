import { z } from 'zod'
import { BlockOptionsSchema, type BlockedUser } from '../../../../shared/contract'
import type { EnvelopeType } from '../../../../shared/protocol/envelope'
import { NameSchema } from '../../../../shared/protocol/names'
import { unsubTopic } from '../../../../shared/protocol/topics'
import { ParleyError } from '../../../../shared/rpc'
import { defineFeature, type Account } from '../../kernel/feature'
import { envelope } from '../../protocol/codec'
import type { DevicesApi } from '../devices/api'
import type { BlockingApi } from './api'
import { migration0010 } from './migrations/0010_blocks'
import { BlockStore, type EndedBlock } from './store'

const OWNER = 'blocking'
/** What my other devices are told when I block or unblock someone here. */
const SHARED_KIND = 'blocks'
const SharedBlockSchema = z.object({
  user: NameSchema,
  blocked: z.boolean(),
  /** When it was blocked or unblocked (ms since epoch). */
  at: z.number().int().nonnegative(),
  notified: z.boolean(),
})
type SharedBlock = z.infer<typeof SharedBlockSchema>

/** How long closing waits for this run's unacknowledged Unsub notices. */
const CLOSE_WAIT_MS = 1500
/** How long a lifted block is remembered: longer than a sender keeps offering a message (7 days). */
const ENDED_KEPT_MS = 30 * 86_400_000
/**
 * What a person sent while blocked that must stay out after the unblock: their
 * client offers a message again until it hears it was delivered. Current state
 * (presence, profile) is not in here: after the unblock it is simply true again.
 */
const CONTENT: ReadonlySet<EnvelopeType> = new Set(['text', 'moment', 'friend-request'])

/**
 * Blocking. The codec refuses everything a blocked person sends (messages,
 * friend requests, presence, typing, profiles, moments: every feature decodes
 * through it), so nothing of theirs is shown, stored or notified. They are sent
 * seed 000's Unsub notice on `R/{them}/Inbox/Update/{me}/Unsub`, so their client
 * stops following my moments (and tells them, if I chose "notify"). This is the
 * cooperation of their client, not a wall: only a broker ACL stops a hostile
 * client from publishing to my inbox (docs/protocol.md).
 */
export const blockingFeature = defineFeature({
  name: 'blocking',
  dependsOn: ['devices'],
  migrations: [migration0010],
  create(ctx) {
    const devices = ctx.use<DevicesApi>('devices')
    const store = new BlockStore(ctx.db)
    store.prune(Date.now() - ENDED_KEPT_MS)
    // The codec asks for every packet: answer from memory, a copy of the table.
    const blocked = new Set<string>()
    const ended = new Map<string, EndedBlock>()
    const reload = (): void => {
      blocked.clear()
      ended.clear()
      for (const b of store.list()) blocked.add(b.user)
      for (const b of store.ended()) ended.set(b.user, b)
    }
    reload()
    const listeners: ((user: string, isBlocked: boolean) => void)[] = []

    ctx.codec.refuseSenders((sender) => (blocked.has(sender) ? 'the sender is blocked' : null))
    ctx.codec.refuseEnvelopes((e) => {
      const b = ended.get(e.from)
      return b && CONTENT.has(e.type) && e.ts >= b.since && e.ts < b.endedAt ? 'sent while the sender was blocked' : null
    })

    /** Unsub notices of this run the broker has not acknowledged yet: closing waits a moment for them. */
    const unsent = new Map<string, () => void>()
    const settled = (ref: string): void => {
      unsent.get(ref)?.()
      unsent.delete(ref)
    }
    ctx.publisher.register(OWNER, {
      acked: settled,
      // An Unsub the broker refuses is not worth retrying: the block itself stands.
      failed: (ref, reason) => {
        ctx.log.warn('the unfollow notice of a block was not sent', { reason })
        ctx.publisher.cancel(OWNER, ref)
        settled(ref)
      },
    })

    /** After the commit: the UI, the features that care, and (unblocked) their retained presence and profile again. */
    const announce = (user: string, isBlocked: boolean): void => {
      ctx.events.emit('blocked', { user, blocked: isBlocked })
      for (const l of listeners) {
        try {
          l(user, isBlocked)
        } catch (err) {
          ctx.log.error('a blocking listener failed', { error: (err as Error).message })
        }
      }
      // Their retained state again (presence, profile: everything under R/{them}/), not everyone's.
      const root = ctx.account()?.root
      if (!isBlocked && root) ctx.replayRetained((filter) => filter.startsWith(`${root}/${user}/`))
    }

    /** Records a block or unblock (inside a transaction) and applies it here; false when nothing changed. */
    const apply = (change: SharedBlock): boolean => {
      if (change.blocked) {
        if (store.get(change.user)) return false
        store.put({ user: change.user, since: change.at, notified: change.notified })
        blocked.add(change.user)
        ended.delete(change.user)
        return true
      }
      const lifted: EndedBlock | null = store.end(change.user, change.at)
      if (!lifted) return false
      blocked.delete(change.user)
      ended.set(change.user, lifted)
      return true
    }

    /** seed 000's Unsub: tells `user`'s client to stop following my moments; `notify` lets it tell them. */
    const sendUnsub = (account: Account, user: string, notify: boolean): void => {
      const topic = unsubTopic(account.root, user, account.user)
      const e = envelope('unsub', account.user, { notify }, { dev: account.deviceId })
      ctx.publisher.enqueue({ owner: OWNER, ref: e.id, topic, payload: ctx.codec.encode(e, topic) })
      unsent.set(e.id, () => {})
    }

    const validName = (user: unknown): string => {
      const r = NameSchema.safeParse(user)
      if (!r.success) throw new ParleyError(r.error.issues[0]?.message ?? 'Invalid name.', 'invalid-argument')
      return r.data
    }

    /** Changes it here, tells my other devices in the same commit; the rest after it. */
    const change = (c: SharedBlock, also?: () => void): boolean => {
      let changed: boolean
      try {
        changed = ctx.db.transaction(() => {
          if (!apply(c)) return false
          also?.()
          devices.share(SHARED_KIND, c)
          return true
        })()
      } catch (err) {
        reload() // rolled back: the copy in memory must not keep what the table does not
        throw err
      }
      if (changed) announce(c.user, c.blocked)
      return changed
    }

    // Another device of mine blocked or unblocked someone: the same here (it already told them).
    // Applied at once, so what follows from them in this batch is refused already.
    devices.onShared(SHARED_KIND, SharedBlockSchema, (c) => {
      if (c.user === ctx.account()?.user || !apply(c)) return
      return () => announce(c.user, c.blocked)
    })

    const api: BlockingApi = {
      isBlocked: (user) => blocked.has(user),
      onChange: (l) => void listeners.push(l),
    }

    return {
      api,
      // Another account (after a sign-out that emptied the history) starts from its own table.
      onAccount: reload,
      // A block made just before closing (the CLI) gets its notice out while the session is up; otherwise it goes next time.
      async beforeClose() {
        if (unsent.size === 0 || !ctx.connected()) return
        const all = [...unsent.keys()].map((ref) => new Promise<void>((resolve) => unsent.set(ref, resolve)))
        await Promise.race([Promise.all(all), new Promise((r) => setTimeout(r, CLOSE_WAIT_MS).unref())])
      },
      service: {
        async list() {
          return store.list()
        },
        async block(user, options) {
          const account = ctx.requireAccount()
          const name = validName(user)
          const { notify } = BlockOptionsSchema.parse(options ?? {})
          if (name === account.user) throw new ParleyError('You cannot block yourself.', 'invalid-argument')
          const known = store.get(name)
          if (known) return known
          const b: BlockedUser = { user: name, since: Date.now(), notified: notify }
          change({ user: name, blocked: true, at: b.since, notified: notify }, () => sendUnsub(account, name, notify))
          return b
        },
        async unblock(user) {
          change({ user: validName(user), blocked: false, at: Date.now(), notified: false })
        },
      },
    }
  },
})
