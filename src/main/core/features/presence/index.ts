import type { IPublishPacket } from 'mqtt'
import { z } from 'zod'
import {
  AwayAfterMinutesSchema,
  DEFAULT_AWAY_AFTER_MINUTES,
  PresenceModeSchema,
  PresenceSettingsPatchSchema,
  type MyPresence,
  type Presence,
  type PresenceMode,
  type PresenceSettings,
  type PresenceState,
} from '../../../../shared/contract'
import { NameSchema } from '../../../../shared/protocol/names'
import { parsePresenceTopic, presenceFilter, presenceTopic } from '../../../../shared/protocol/topics'
import type { EnvelopeOf } from '../../../../shared/protocol/envelope'
import { defineFeature, type Account } from '../../kernel/feature'
import type { Route } from '../../mqtt/router'
import { envelope } from '../../protocol/codec'
import type { ConversationsApi } from '../conversations'
import { aggregate, type DevicePresence } from './aggregate'
import { migration0006 } from './migrations/0006_presence'
import { PresenceStore } from './store'

/** What other features get from presence (through `dependsOn: ['presence']`). */
export interface PresenceApi {
  /** Called when a person goes from offline (or unknown) to present on some device. */
  onCameOnline(listener: (user: string) => void): void
  /** Follows `user`'s presence from now until the next connection (which follows 1:1 peers again), e.g. someone I sent a friend request. */
  follow(user: string): void
  /** The devices of `user` heard from (or cached from an earlier run, as offline); never this device. */
  devicesOf(user: string): { device: string; state: PresenceState; lastSeen: number | null }[]
  /** Called after a commit in which some device of `user` changed state, appeared or went away. */
  onDevicesChanged(listener: (user: string) => void): void
  /** What this device tells others now ('offline' while the person appears offline). */
  myState(): PresenceState
}

const MODE_PREF = 'presence.mode'
const AWAY_AFTER_PREF = 'presence.awayAfterMinutes'
/** When I started to appear offline (ms), or null: the "last seen" others keep seeing meanwhile. */
const HIDDEN_SINCE_PREF = 'presence.hiddenSince'
/** Most devices followed per person. */
const MAX_DEVICES_PER_USER = 16
/** How long the goodbye ("offline") may take on close before we give up on it. */
const GOODBYE_MS = 1500

/**
 * Presence (seed 001's `isConnected`): each device keeps a retained envelope on
 * `R/{user}/Presence/{device}` saying online, away or dnd, and leaves a retained
 * Last Will there saying offline; MQTT 5 Will Delay lets a quick reconnect pass
 * unseen. We follow the devices of everyone we have a 1:1 conversation with, and
 * our own (a person is present if any of their devices is).
 */
export const presenceFeature = defineFeature({
  name: 'presence',
  dependsOn: ['conversations'],
  migrations: [migration0006],
  create(ctx) {
    const conversations = ctx.use<ConversationsApi>('conversations')
    const store = new PresenceStore(ctx.db)
    /** Devices heard from in this run; people not in here are answered from the cache, as offline. */
    const live = new Map<string, Map<string, DevicePresence>>()
    const cameOnline: ((user: string) => void)[] = []
    const devicesChanged: ((user: string) => void)[] = []
    let mode: PresenceMode = ctx.prefs.get(MODE_PREF, PresenceModeSchema, 'auto')
    let idle = false
    const hiddenSince = (): number | null => ctx.prefs.get(HIDDEN_SINCE_PREF, z.number().int().nonnegative().nullable(), null)
    const settings = (): PresenceSettings => ({
      awayAfterMinutes: ctx.prefs.get(AWAY_AFTER_PREF, AwayAfterMinutesSchema, DEFAULT_AWAY_AFTER_MINUTES),
      appearOffline: hiddenSince() !== null,
    })

    const myState = (): MyPresence['state'] =>
      hiddenSince() !== null ? 'offline' : mode === 'dnd' ? 'dnd' : mode === 'away' || idle ? 'away' : 'online'
    const mine = (): MyPresence => ({ mode, idle, state: myState() })

    /** Devices cached from an earlier run: what they were then says nothing about now, only when they were last seen. */
    const cachedAsOffline = (user: string): Map<string, DevicePresence> =>
      new Map([...store.devices(user)].map(([device, d]) => [device, { state: 'offline', lastSeen: d.lastSeen }]))

    const presenceOf = (user: string): Presence => aggregate(user, (live.get(user) ?? cachedAsOffline(user)).values())

    /** Appearing offline, "last seen" stays at the moment I chose it, however long I stay connected. */
    const publishMine = (account: Account, state: DevicePresence['state']): Promise<void> => {
      const topic = presenceTopic(account.root, account.user, account.deviceId)
      const lastSeen = state === 'offline' ? (hiddenSince() ?? Date.now()) : Date.now()
      const e = envelope('presence', account.user, { state, lastSeen }, { dev: account.deviceId })
      return ctx.publisher.publish(topic, ctx.codec.encode(e, topic), { qos: 1, retain: true })
    }

    const announceMine = (): void => {
      const account = ctx.account()
      if (account && ctx.connected()) publishMine(account, myState()).catch((err: Error) => ctx.log.info('presence not published', { reason: err.message }))
    }

    const handle = (account: Account, packets: readonly IPublishPacket[]): (() => void) | void => {
      const changed = new Map<string, Presence>()
      const arrived: string[] = []
      const touched = new Set<string>()
      for (const p of packets) {
        const t = parsePresenceTopic(account.root, p.topic)
        if (!t || NameSchema.safeParse(t.user).success === false || t.device.length > 128) {
          ctx.log.warn('dropped a presence message', { topic: p.topic, reason: 'not a presence topic' })
          continue
        }
        if (t.user === account.user && t.device === account.deviceId) continue // my own echo
        const before = presenceOf(t.user)
        let devices = live.get(t.user)
        if (!devices) live.set(t.user, (devices = cachedAsOffline(t.user)))
        if (!devices.has(t.device) && devices.size >= MAX_DEVICES_PER_USER) {
          // Anyone can publish retained presence under any device name: don't let that grow without end.
          ctx.log.warn('dropped a presence message', { topic: p.topic, reason: `more than ${MAX_DEVICES_PER_USER} devices` })
          continue
        }
        if ((p.payload as Uint8Array).byteLength === 0) {
          // A cleared retained message: that device is gone for good.
          if (devices.delete(t.device)) touched.add(t.user)
          store.remove(t.user, t.device)
        } else {
          const decoded = ctx.codec.decode(p.topic, p.payload as Uint8Array, 'presence', t.user)
          if (!decoded.ok) {
            ctx.log.warn('dropped a presence message', { topic: p.topic, reason: decoded.reason })
            continue
          }
          const d: DevicePresence = { state: decoded.envelope.body.state, lastSeen: lastSeenOf(decoded.envelope, p.retain) }
          // A retained will only knows when it was set (at connect): never let it move "last seen" back.
          const known = devices.get(t.device)?.lastSeen ?? null
          if (d.state === 'offline' && known !== null && (d.lastSeen === null || known > d.lastSeen)) d.lastSeen = known
          ctx.log.debug('presence', { user: t.user, device: t.device, state: d.state, retained: p.retain })
          if (devices.get(t.device)?.state !== d.state) touched.add(t.user)
          devices.set(t.device, d)
          store.put(t.user, t.device, d)
        }
        const after = presenceOf(t.user)
        // While present, "last seen" is now and needs no news; it matters once they are gone.
        if (after.state !== before.state || (after.state === 'offline' && after.lastSeen !== before.lastSeen)) changed.set(t.user, after)
        if (before.state === 'offline' && after.state !== 'offline') arrived.push(t.user)
      }
      if (changed.size === 0 && arrived.length === 0 && touched.size === 0) return
      return () => {
        for (const p of changed.values()) ctx.events.emit('presence', p)
        for (const user of arrived) for (const l of cameOnline) l(user)
        for (const user of touched) for (const l of devicesChanged) l(user)
      }
    }

    const routeFor = (account: Account, user: string): Route => ({
      filter: presenceFilter(account.root, user),
      qos: 1,
      retained: 'accept',
      handle: (packets) => handle(account, packets),
    })

    /** Starts following `user`'s presence now (a new conversation, or someone asked about). */
    const follow = (user: string): void => {
      const account = ctx.account()
      if (!account || ctx.router.has(presenceFilter(account.root, user))) return
      ctx.addRoute(routeFor(account, user))
    }

    ctx.events.on('conversation', (c) => {
      if (c.kind === 'dm') follow(c.peer)
    })

    const api: PresenceApi = {
      onCameOnline: (l) => void cameOnline.push(l),
      follow,
      devicesOf: (user) => [...(live.get(user) ?? cachedAsOffline(user))].map(([device, d]) => ({ device, ...d })),
      onDevicesChanged: (l) => void devicesChanged.push(l),
      myState,
    }

    return {
      api,
      routes: (account) => [account.user, ...conversations.peers('dm')].map((user) => routeFor(account, user)),
      will(account) {
        const topic = presenceTopic(account.root, account.user, account.deviceId)
        // Hidden since before this connection: the will must not tell when it dropped either.
        const since = hiddenSince()
        const body = since === null ? { state: 'offline' as const } : { state: 'offline' as const, lastSeen: since }
        const e = envelope('presence', account.user, body, { dev: account.deviceId })
        return { topic, payload: ctx.codec.encode(e, topic), qos: 1, retain: true, delaySeconds: ctx.tuning.willDelaySeconds }
      },
      onConnected: () => announceMine(),
      onAccount() {
        live.clear()
        // A new account, or none (signed out, maybe with the history and its preferences deleted).
        mode = ctx.prefs.get(MODE_PREF, PresenceModeSchema, 'auto')
        idle = false
      },
      async beforeClose() {
        const account = ctx.account()
        if (!account || !ctx.connected()) return
        // A clean disconnect sends no Last Will: say goodbye ourselves.
        await Promise.race([publishMine(account, 'offline'), new Promise((r) => setTimeout(r, GOODBYE_MS).unref())])
      },
      service: {
        async get(user) {
          const name = NameSchema.parse(user)
          follow(name)
          return presenceOf(name)
        },
        async mine() {
          return mine()
        },
        async setMode(next) {
          mode = PresenceModeSchema.parse(next)
          ctx.prefs.set(MODE_PREF, mode)
          announceMine()
          return mine()
        },
        async reportIdle(isIdle) {
          const value = z.boolean().parse(isIdle)
          if (value === idle) return
          idle = value
          announceMine()
        },
        async settings() {
          return settings()
        },
        async setSettings(input) {
          const patch = PresenceSettingsPatchSchema.parse(input)
          if (patch.awayAfterMinutes !== undefined) ctx.prefs.set(AWAY_AFTER_PREF, patch.awayAfterMinutes)
          if (patch.appearOffline !== undefined && patch.appearOffline !== settings().appearOffline) {
            ctx.prefs.set(HIDDEN_SINCE_PREF, patch.appearOffline ? Date.now() : null)
            announceMine()
          }
          return settings()
        },
      },
    }
  },
})

/**
 * When a device was last there. Present: now. A goodbye says when. A Last Will
 * only carries the time it was set (at connect): arriving live, the device vanished
 * just now; arriving retained, the will's time is the best we know.
 */
function lastSeenOf(e: EnvelopeOf<'presence'>, retained: boolean): number {
  const now = Date.now()
  if (e.body.state !== 'offline') return now
  return Math.min(e.body.lastSeen ?? (retained ? e.ts : now), now)
}
