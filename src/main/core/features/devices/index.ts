import { z } from 'zod'
import { DeviceNameSchema, LinkInputSchema, type Device, type LinkOffer } from '../../../../shared/contract'
import { ConversationIdSchema } from '../../../../shared/protocol/conversation-id'
import { MessageIdSchema } from '../../../../shared/protocol/envelope'
import { NameSchema } from '../../../../shared/protocol/names'
import { deviceInfoFilter, deviceInfoTopic, presenceTopic, syncFilter } from '../../../../shared/protocol/topics'
import { MAX_TEXT_LENGTH, PageCursorSchema } from '../../../../shared/schemas'
import { ParleyError } from '../../../../shared/rpc'
import { defineFeature, type Account } from '../../kernel/feature'
import type { Route } from '../../mqtt/router'
import type { ConversationsApi } from '../conversations'
import type { MessagesApi } from '../messages/api'
import type { PresenceApi } from '../presence'
import type { DevicesApi } from './api'
import { MAX_ITEM_AGE_MS, SyncChannel, type Linked } from './channel'
import { deviceList } from './device-list'
import { newAccountKey } from './key'
import { keyToCode, makeLink, parseLinkInput } from './link'
import { Membership } from './membership'
import { migration0013 } from './migrations/0013_devices'
import { DeviceStore } from './store'

/** How far ahead of our clock another device's timestamp may be before it is capped. */
const MAX_CLOCK_SKEW_MS = 5 * 60_000

const SentSchema = z.object({
  id: MessageIdSchema,
  conversationId: ConversationIdSchema,
  ts: z.number().int().nonnegative(),
  seq: z.number().int().nonnegative().nullable(),
  text: z.string().min(1).max(MAX_TEXT_LENGTH),
})
const ReadSchema = z.object({ conversationId: ConversationIdSchema, upTo: PageCursorSchema })
const DeviceRecordSchema = z.object({ name: DeviceNameSchema, linkedAt: z.number().int().nonnegative() })
const RemoveSchema = z.object({ device: z.string().min(1).max(128) })

/**
 * "Your other devices": the same account on several computers (each its own
 * device id and MQTT session; all receive the account's inbox) keeps what only
 * one of them would know — the messages sent from it, read state, and whatever
 * other features share (contacts, blocks) — the same on all, through a channel
 * sealed with an account device key that linking hands from one device to the next.
 * See docs/protocol.md, "Linked devices".
 */
export const devicesFeature = defineFeature({
  name: 'devices',
  dependsOn: ['conversations', 'messages', 'presence'],
  migrations: [migration0013],
  create(ctx) {
    const conversations = ctx.use<ConversationsApi>('conversations')
    const messages = ctx.use<MessagesApi>('messages')
    const presence = ctx.use<PresenceApi>('presence')
    const store = new DeviceStore(ctx.db)
    const membership = new Membership(ctx.prefs)
    const linked = (): Linked => {
      const account = ctx.account()
      const link = membership.link(account)
      return account && link ? { account, key: link.key } : null
    }
    const channel = new SyncChannel(ctx, store, linked)
    /** When this device last connected or disconnected: its "last seen" in its own list. */
    let myLastSeen: number | null = null
    let lastEmitted = ''

    const list = (): Device[] => {
      const account = ctx.account()
      if (!account) return []
      return deviceList({
        account,
        name: membership.name(),
        sync: membership.state(account),
        state: ctx.connected() ? presence.myState() : 'offline',
        lastSeen: myLastSeen,
        known: store.all(),
        heard: presence.devicesOf(account.user),
      })
    }
    /** Tells the UI when the list changed. */
    const emitList = (): void => {
      const now = list()
      const json = JSON.stringify(now)
      if (json === lastEmitted) return
      lastEmitted = json
      ctx.events.emit('devices', now)
    }

    // ------------------------------------------------ what goes over the channel

    /** This device's record, retained on `R/{me}/Devices/{device}`: my other devices learn its name from it. */
    const publishRecord = async (): Promise<void> => {
      const l = linked()
      const link = membership.link(ctx.account())
      if (!l || !link || !ctx.connected()) return
      const topic = deviceInfoTopic(l.account.root, l.account.user, l.account.deviceId)
      const sealed = channel.sealed(l, topic, 'device', { name: membership.name(), linkedAt: link.linkedAt })
      if (!sealed) return
      await ctx.publisher.publish(topic, sealed.bytes, { qos: 1, retain: true }).catch((err: Error) => ctx.log.info('device record not published', { reason: err.message }))
    }

    /** Empties the retained records (presence, device record) of devices removed here, once connected. */
    const clearRemoved = async (account: Account): Promise<void> => {
      if (!ctx.connected()) return
      const empty = { qos: 1, retain: true } as const
      const due = store.all().filter((d) => d.removedAt !== null && !d.cleared)
      await Promise.all(
        due.map((d) =>
          Promise.all([
            ctx.publisher.publish(presenceTopic(account.root, account.user, d.id), '', empty),
            ctx.publisher.publish(deviceInfoTopic(account.root, account.user, d.id), '', empty),
          ])
            .then(() => store.markCleared(d.id))
            .catch((err: Error) => ctx.log.info('records of a removed device not cleared yet', { device: d.id, reason: err.message })),
        ),
      )
    }

    const syncRoutes = (account: Account): Route[] => [
      {
        filter: syncFilter(account.root, account.user),
        qos: 1,
        retained: 'drop',
        handle: (packets) => channel.handle(packets, (device) => store.get(device)?.removedAt != null),
      },
      {
        filter: deviceInfoFilter(account.root, account.user),
        qos: 1,
        retained: 'accept',
        handle: (packets) => handleRecords(packets),
      },
    ]

    /** Device records: each one's name (the newest), for the list; cleared ones say nothing. */
    const handleRecords: Route['handle'] = (packets) => {
      let changed = false
      for (const p of packets) {
        const l = linked()
        if (!l) continue
        if ((p.payload as Uint8Array).byteLength === 0) continue // a removed device's record, cleared
        if (p.topic === deviceInfoTopic(l.account.root, l.account.user, l.account.deviceId)) continue // mine
        const opened = channel.openPacket(l, p, 'a device record')
        if (!opened) continue
        if (opened.item.kind !== 'device') {
          ctx.log.warn('dropped a device record', { topic: p.topic, reason: `a ${opened.item.kind} item` })
          continue
        }
        const record = DeviceRecordSchema.safeParse(opened.item.data)
        if (!record.success) {
          ctx.log.warn('dropped a device record', { topic: p.topic, reason: record.error.issues[0]?.message ?? 'invalid' })
          continue
        }
        changed = store.describe(opened.origin.device, record.data.name, opened.origin.ts, record.data.linkedAt) || changed
      }
      if (changed) return emitList
    }

    const joinRoutes = (account: Account): void => {
      for (const r of syncRoutes(account)) ctx.addRoute(r)
    }
    const leaveRoutes = (account: Account): void => {
      for (const r of syncRoutes(account)) ctx.removeRoute(r.filter)
    }

    /** This device stops syncing: forgets the key and the other devices; `by` removed it. */
    const leave = (account: Account, by: string, at: number): (() => void) => {
      membership.leave(account, by, at)
      store.forgetAll()
      return () => {
        leaveRoutes(account)
        // Nobody should learn this device's name from a record it can no longer renew.
        if (ctx.connected()) {
          const topic = deviceInfoTopic(account.root, account.user, account.deviceId)
          ctx.publisher.publish(topic, '', { qos: 1, retain: true }).catch(() => {})
        }
        emitList()
      }
    }

    /** Joins the sync of `accountKey` (a new one on the first offer, or one from a link); settles once its record is out. */
    const join = async (account: Account, accountKey: Buffer): Promise<void> => {
      ctx.db.transaction(() => {
        const linkedAt = membership.join(account, accountKey)
        // Devices known under another key belong to another sync.
        store.forgetAll()
        channel.share('device', { name: membership.name(), linkedAt })
      })()
      // Subscribing again (after a switch of key) has the broker send the device records again.
      if (ctx.router.has(syncFilter(account.root, account.user))) leaveRoutes(account)
      joinRoutes(account)
      emitList()
      await publishRecord()
    }

    // ------------------------------------------------------------ own kinds

    // A message I sent from another device: stored here as sent, never published again.
    channel.register('sent', SentSchema, (m, origin) => {
      const stored = messages.storeMirrored({ ...m, ts: Math.min(m.ts, Date.now() + MAX_CLOCK_SKEW_MS), senderDevice: origin.device })
      if (stored) return () => messages.announce([stored])
    })
    messages.onSent((m) => channel.share('sent', { id: m.id, conversationId: m.conversationId, ts: m.ts, seq: m.seq, text: m.text }))

    // Read on another device: seen here too, without read receipts (that device sent them).
    channel.register('read', ReadSchema, ({ conversationId, upTo }) => {
      const c = conversations.store.get(conversationId)
      if (!c) return
      if (c.folder === 'requests') {
        // A message request read is not "seen" (no read receipt is owed while it is one): only the count goes.
        if (c.unread === 0) return
        conversations.store.markRead(conversationId)
        return () => conversations.announce(conversationId)
      }
      messages.markSeen(conversationId, upTo)
      const remaining = messages.unseenCount(conversationId)
      if (c.unread === remaining) return
      conversations.store.markRead(conversationId)
      if (remaining > 0) conversations.store.touch(conversationId, 0, remaining)
      return () => conversations.announce(conversationId)
    })
    conversations.onRead((conversationId, hadUnread) => {
      const last = hadUnread ? conversations.store.get(conversationId)?.lastMessage : null
      if (last) channel.share('read', { conversationId, upTo: { ts: last.ts, id: last.id } })
    })

    // A device renamed itself (its record says the same, for devices that link later).
    channel.register('device', DeviceRecordSchema, (d, origin) => {
      if (store.describe(origin.device, d.name, origin.ts, d.linkedAt)) return emitList
    })

    channel.register('remove-device', RemoveSchema, ({ device }, origin) => {
      const account = ctx.account()
      if (!account) return
      if (device === account.deviceId) {
        ctx.log.info('this device was removed from the device sync', { by: origin.device })
        return leave(account, origin.device, origin.ts)
      }
      // The device that removed it clears its records.
      store.remove(device, origin.ts, true)
      return emitList
    })

    presence.onDevicesChanged((user) => {
      if (user === ctx.account()?.user) emitList()
    })

    const api: DevicesApi = {
      share: (kind, data) => channel.share(kind, data),
      onShared: (kind, schema, handler) => channel.register(kind, schema, handler),
    }

    return {
      api,
      routes: (account) => (membership.link(account) ? syncRoutes(account) : []),
      onAccount(account) {
        lastEmitted = ''
        // Signed out (the history kept for a later sign-in): the next one is a new device
        // id, maybe a new person; it links again if it should.
        if (!account && membership.forget()) {
          store.forgetAll()
          ctx.log.info('left the device sync: signed out')
        }
        store.pruneSeen(Date.now() - MAX_ITEM_AGE_MS - 86_400_000)
      },
      onConnected() {
        myLastSeen = Date.now()
        const account = ctx.account()
        if (account) void clearRemoved(account)
        void publishRecord()
        emitList()
      },
      onDisconnected() {
        myLastSeen = Date.now()
        emitList()
      },
      service: {
        async list() {
          return list()
        },
        async offerLink(): Promise<LinkOffer> {
          const account = ctx.requireAccount()
          if (!membership.link(account)) await join(account, newAccountKey())
          const link = membership.link(account)!
          return { link: makeLink(account.user, link.accountKey), code: keyToCode(link.accountKey) }
        },
        async link(input) {
          const account = ctx.requireAccount()
          const parsed = parseLinkInput(LinkInputSchema.parse(input))
          if ('problem' in parsed) throw new ParleyError(parsed.problem, 'invalid-argument')
          if (parsed.user !== null && parsed.user !== account.user) {
            throw new ParleyError(
              `That link is for ${parsed.user}, and this Parley is set up as ${account.user}: set it up as ${parsed.user} on the same broker first.`,
              'invalid-argument',
            )
          }
          if (!membership.link(account)?.accountKey.equals(parsed.key)) await join(account, parsed.key)
          return list()
        },
        async rename(input) {
          const account = ctx.requireAccount()
          const name = DeviceNameSchema.parse(z.string().trim().parse(input))
          ctx.db.transaction(() => {
            membership.rename(name)
            const link = membership.link(account)
            if (link) channel.share('device', { name, linkedAt: link.linkedAt })
          })()
          emitList()
          await publishRecord()
          return list()
        },
        async remove(input) {
          const account = ctx.requireAccount()
          const id = NameSchema.parse(input)
          if (id === account.deviceId) {
            // Leaving on my own: the others hear it first, while this device can still seal.
            const done = ctx.db.transaction(() => {
              if (membership.link(account)) channel.share('remove-device', { device: id })
              return leave(account, id, Date.now())
            })()
            done()
            return list()
          }
          if (!list().some((d) => d.id === id)) throw new ParleyError('There is no such device of yours.', 'not-found')
          ctx.db.transaction(() => {
            if (membership.link(account)) channel.share('remove-device', { device: id })
            store.remove(id, Date.now(), false)
          })()
          emitList()
          await clearRemoved(account)
          return list()
        },
      },
    }
  },
})
