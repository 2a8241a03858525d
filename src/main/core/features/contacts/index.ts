import type { IPublishPacket } from 'mqtt'
import { FriendRequestInputSchema, MAX_REQUEST_SECONDS, type ContactsChange } from '../../../../shared/contract'
import { NameSchema } from '../../../../shared/protocol/names'
import { inboxFilter } from '../../../../shared/protocol/topics'
import { defineFeature, type Account } from '../../kernel/feature'
import { decodeInbox } from '../../protocol/inbox'
import type { BlockingApi } from '../blocking/api'
import type { DevicesApi } from '../devices/api'
import type { PresenceApi } from '../presence'
import type { ContactsApi } from './api'
import { ChangeBatcher } from './changes'
import { migration0009 } from './migrations/0009_contacts'
import { FriendOutbox, OWNER, parseRef } from './outbox'
import { FriendRequests, SharedContactSchema } from './requests'
import { ContactStore, toContact } from './store'

/** Lapsed requests are looked for at least this often (and exactly when the next one lapses). */
const EXPIRY_CHECK_MS = 3600_000

/**
 * Contacts and friend requests (seed 000 scenario 1). I ask someone with a
 * `friend-request` on `R/{them}/Inbox/Add/GFReq/{me}` — stored in the outbox and
 * offered again (on each connection, when they come online, at growing
 * intervals) until their `friend-response` on `R/{me}/Inbox/Add/GFResp/{them}`
 * says accept or decline, I withdraw it, or it lapses (30 days; MQTT 5 Message
 * Expiry where the broker has it). Accepting makes each a contact of the other;
 * my other devices hear of what I do through the devices feature.
 */
export const contactsFeature = defineFeature({
  name: 'contacts',
  dependsOn: ['presence', 'devices', 'blocking'],
  migrations: [migration0009],
  create(ctx) {
    const presence = ctx.use<PresenceApi>('presence')
    const devices = ctx.use<DevicesApi>('devices')
    const blocking = ctx.use<BlockingApi>('blocking')
    const store = new ContactStore(ctx.db)
    const outbox = new FriendOutbox(ctx)
    const listeners: ((change: ContactsChange) => void)[] = []
    let expiryTimer: NodeJS.Timeout | null = null

    const changes = new ChangeBatcher(
      (user) => {
        const row = store.get(user)
        return row ? toContact(row) : null
      },
      (change) => {
        ctx.events.emit('contacts', change)
        for (const l of listeners) {
          try {
            l(change)
          } catch (err) {
            ctx.log.error('contacts listener failed', { error: (err as Error).message })
          }
        }
        armExpiry()
      },
    )

    const requests = new FriendRequests({
      store,
      outbox,
      log: ctx.log,
      touch: (user) => changes.touch(user),
      share: (data) => devices.share('contacts', data),
    })

    // A blocked person's request is never shown: one that came before the block goes, without an answer.
    blocking.onChange((user, isBlocked) => {
      if (!isBlocked || store.get(user)?.state !== 'incoming') return
      ctx.db.transaction(() => store.remove(user))()
      changes.touch(user)
    })

    const expireNow = (): void => {
      ctx.db.transaction(() => requests.expire())()
      armExpiry()
    }

    /** Wakes when the next pending request lapses (or within the hour); never keeps the process alive. */
    function armExpiry(): void {
      if (expiryTimer) clearTimeout(expiryTimer)
      expiryTimer = null
      const at = store.nextExpiry()
      if (at === null) return
      expiryTimer = setTimeout(expireNow, Math.min(Math.max(at - Date.now(), 0), EXPIRY_CHECK_MS))
      expiryTimer.unref()
    }

    const transaction = <T>(fn: () => T): T => ctx.db.transaction(fn)()

    ctx.publisher.register(OWNER, {
      acked(ref) {
        const r = parseRef(ref)
        if (!r) return
        const moved = r.kind === 'request' ? store.delivered(r.user, 'outgoing', 'sent') : r.kind === 'answer' && (store.delivered(r.user, 'contact', 'sent') || store.delivered(r.user, 'declined', 'sent'))
        if (moved) changes.touch(r.user)
      },
      failed(ref, reason) {
        const r = parseRef(ref)
        ctx.log.warn('the broker refused a friend request message', { ref, reason })
        if (!r) return
        // A refused request or accept shows as failed; asking or accepting again sends it again.
        if (r.kind === 'request' && store.delivered(r.user, 'outgoing', 'failed', reason)) changes.touch(r.user)
        else if (r.kind === 'answer' && store.delivered(r.user, 'contact', 'failed', reason)) changes.touch(r.user)
        // A refused withdrawal or decline is not worth a retry button: forget it.
        else ctx.publisher.cancel(OWNER, ref)
      },
      // My request lapses with its row; the broker drops it then too (MQTT 5).
      expiresAt(ref) {
        const r = parseRef(ref)
        if (r?.kind !== 'request') return null
        const row = store.get(r.user)
        return row?.state === 'outgoing' ? row.expiresAt : 0
      },
    })

    devices.onShared('contacts', SharedContactSchema, (data) => requests.applyShared(data))

    // Someone I asked came online: they may have had no broker session to queue my request in.
    presence.onCameOnline((user) => {
      const account = ctx.account()
      if (account && store.state(user) === 'outgoing') outbox.reoffer(account, user)
    })

    const onRequests = (account: Account, packets: readonly IPublishPacket[]): void => {
      let stored = false
      for (const { from, envelope: e } of decodeInbox({ codec: ctx.codec, log: ctx.log, account }, packets, 'friend-request', 'a friend request')) {
        if (requests.received(account, from, e) === 'stored') stored = true
      }
      if (stored) requests.trim()
    }

    const onAnswers = (account: Account, packets: readonly IPublishPacket[]): void => {
      for (const { from, envelope: e } of decodeInbox({ codec: ctx.codec, log: ctx.log, account }, packets, 'friend-response', 'a friend answer')) {
        requests.answered(from, e)
      }
    }

    const api: ContactsApi = {
      isContact: (user) => store.state(user) === 'contact',
      state(user) {
        const s = store.state(user)
        return s === 'declined' ? null : s
      },
      contacts: () => store.users('contact'),
      onChange: (l) => void listeners.push(l),
    }

    return {
      api,
      routes: (account) => [
        { filter: inboxFilter(account.root, 'Add/GFReq', account.user), qos: 1, retained: 'drop', handle: (ps) => onRequests(account, ps) },
        { filter: inboxFilter(account.root, 'Add/GFResp', account.user), qos: 1, retained: 'drop', handle: (ps) => onAnswers(account, ps) },
      ],
      onAccount() {
        expireNow()
      },
      onConnected() {
        // Follow whom I asked, so their coming online brings my request to them.
        for (const user of store.users('outgoing')) presence.follow(user)
      },
      close() {
        changes.close()
        if (expiryTimer) clearTimeout(expiryTimer)
        expiryTimer = null
      },
      service: {
        async list() {
          return store.list()
        },
        async request(input) {
          const account = ctx.requireAccount()
          const { user, note, expiresInSeconds } = FriendRequestInputSchema.parse(input)
          const contact = transaction(() => requests.request(account, user, note ?? null, (expiresInSeconds ?? MAX_REQUEST_SECONDS) * 1000))
          if (contact.state === 'outgoing') presence.follow(user)
          armExpiry()
          return contact
        },
        async accept(user) {
          const account = ctx.requireAccount()
          const name = NameSchema.parse(user)
          return transaction(() => requests.accept(account, name))
        },
        async decline(user) {
          const account = ctx.requireAccount()
          const name = NameSchema.parse(user)
          transaction(() => requests.decline(account, name))
        },
        async cancel(user) {
          const account = ctx.requireAccount()
          const name = NameSchema.parse(user)
          transaction(() => requests.cancel(account, name))
        },
        async remove(user) {
          const account = ctx.requireAccount()
          const name = NameSchema.parse(user)
          transaction(() => requests.remove(account, name))
        },
      },
    }
  },
})
