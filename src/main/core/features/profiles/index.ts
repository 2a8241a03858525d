import type { IPublishPacket } from 'mqtt'
import { z } from 'zod'
import {
  AvatarUploadSchema,
  ProfileUpdateSchema,
  type AvatarUpload,
  type Profile,
  type ProfilePublishState,
  type ProfileUpdate,
} from '../../../../shared/contract'
import type { EnvelopeBody } from '../../../../shared/protocol/envelope'
import { NameSchema } from '../../../../shared/protocol/names'
import { profileTopic } from '../../../../shared/protocol/topics'
import { defineFeature, type Account } from '../../kernel/feature'
import type { Route } from '../../mqtt/router'
import { envelope } from '../../protocol/codec'
import type { ContactsApi } from '../contacts/api'
import type { ConversationsApi } from '../conversations'
import type { DevicesApi } from '../devices/api'
import type { ProfilesApi } from './api'
import { makeAvatar } from './avatar'
import { decodeProfile } from './inbound'
import { migration0011 } from './migrations/0011_profiles'
import { MyProfile, type MineRecord } from './mine'
import { ProfileStore } from './store'

/** My other devices tell each other which version of my profile is theirs (the profile itself is on my topic). */
const SHARED_KIND = 'profile'
const SharedVersionSchema = z.object({ id: z.string().min(1).max(64), ts: z.number().int().nonnegative() })
/** How long a newer profile on my topic may wait for my other device's word before mine is put back. */
const VOUCH_WAIT_MS = 3000
/** Versions from my devices remembered at once (a few changes in flight). */
const MAX_VERSIONS = 32

/** How long update() waits for the broker's PUBACK before answering anyway (it is stored; the next connection publishes it). */
const PUBLISH_WAIT_MS = 10_000

function within<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`${what}: no answer from the broker within ${ms / 1000} s`)), ms)
    t.unref()
    p.then(
      (v) => (clearTimeout(t), resolve(v)),
      (e: unknown) => (clearTimeout(t), reject(e instanceof Error ? e : new Error(String(e)))),
    )
  })
}

/** The envelope body of my profile: unset fields are left out. */
function bodyOf(r: MineRecord): EnvelopeBody<'profile'> {
  return {
    ...(r.name !== null ? { name: r.name } : {}),
    ...(r.status !== null ? { status: r.status } : {}),
    ...(r.avatar !== null ? { avatar: r.avatar } : {}),
    ...(r.email !== null ? { email: r.email } : {}),
  }
}

/** `R/{user}/Profile` → user, or null. */
function profileOwner(root: string, topic: string): string | null {
  const parts = topic.split('/')
  if (parts.length !== 3 || parts[0] !== root || parts[2] !== 'Profile' || !parts[1]) return null
  return NameSchema.safeParse(parts[1]).success ? parts[1] : null
}

/**
 * Profiles (seed 001): my display name, status line, avatar and email, retained on
 * `R/{me}/Profile` — published on each change and again on each connection, so a
 * broker that lost it gets it back. Other people's are followed (retained, QoS 1)
 * for everyone I have a 1:1 conversation with, my contacts and anyone asked about,
 * and cached (migration 0011): the newest `ts` wins, an empty retained payload
 * clears one. My own topic is followed too: a newer profile there came from my
 * other device and is taken; an older one is replaced by mine.
 */
export const profilesFeature = defineFeature({
  name: 'profiles',
  dependsOn: ['conversations', 'contacts', 'devices'],
  migrations: [migration0011],
  create(ctx) {
    const conversations = ctx.use<ConversationsApi>('conversations')
    const contacts = ctx.use<ContactsApi>('contacts')
    const devices = ctx.use<DevicesApi>('devices')
    const store = new ProfileStore(ctx.db)
    const mine = new MyProfile(ctx.prefs)
    /** People asked about with get() in this run: followed on every connection until Parley restarts. */
    const asked = new Set<string>()
    /** The version of my profile the broker acknowledged, and the last refusal. */
    let acked: number | null = null
    let lastError: string | null = null
    /** Versions of my profile my other devices made (id:ts), told through device sync. */
    const fromMyDevices = new Set<string>()
    /** The newest unproven profile seen on my own topic: taken once a device of mine vouches for it. */
    let unvouched: { id: string; ts: number; fields: Omit<MineRecord, 'id' | 'ts'> } | null = null
    /** Mine was put back over something else on my topic in this connection: once is enough (no duelling devices). */
    let repaired = false

    const me = (): string | null => ctx.account()?.user ?? null
    const profileOf = (user: string): Profile => (user === me() ? mine.profile(user) : store.get(user))

    const publishMine = async (): Promise<void> => {
      const account = ctx.account()
      const r = mine.current
      if (!account || !r || !ctx.connected()) return
      const topic = profileTopic(account.root, account.user)
      const e = envelope('profile', account.user, bodyOf(r), { dev: account.deviceId, id: r.id, ts: r.ts })
      try {
        await within(ctx.publisher.publish(topic, ctx.codec.encode(e, topic), { qos: 1, retain: true }), PUBLISH_WAIT_MS, 'profile')
        if (acked === null || r.ts >= acked) acked = r.ts
        lastError = null
      } catch (err) {
        lastError = (err as Error).message
        ctx.log.info('profile not published', { reason: lastError })
      }
    }
    const publishSoon = (): void => void publishMine()

    const changeMine = async (changes: ProfileUpdate & { avatar?: string | null }): Promise<Profile> => {
      const user = ctx.requireAccount().user
      const r = mine.change(changes)
      devices.share(SHARED_KIND, { id: r.id, ts: r.ts })
      const p = mine.profile(user)
      ctx.events.emit('profile', p)
      await publishMine()
      return p
    }

    /** Puts my profile back over what else is on my topic, once per connection. */
    const repair = (): (() => void) | null => {
      if (!mine.current || repaired) return null
      repaired = true
      return publishSoon
    }

    /** Takes the profile a device of mine made (inside a transaction); returns after-commit work. */
    const adopt = (account: Account, got: NonNullable<typeof unvouched>): (() => void) | null => {
      const current = mine.current
      if (current && (got.ts < current.ts || (got.ts === current.ts && got.id <= current.id))) return null
      mine.set({ id: got.id, ts: got.ts, ...got.fields })
      acked = got.ts
      unvouched = null
      return () => ctx.events.emit('profile', mine.profile(account.user))
    }

    /**
     * What arrived on my own topic (inside the batch's transaction); returns after-commit work.
     * Anyone can publish there without a broker ACL: a profile is taken as mine only when one of
     * my linked devices vouched for that version; anything else gets mine put back (once).
     */
    const handleMine = (account: Account, p: IPublishPacket): (() => void) | null => {
      const current = mine.current
      if ((p.payload as Uint8Array).byteLength === 0) return repair()
      const got = decodeProfile(ctx.codec, p.topic, p.payload as Uint8Array, account.user)
      if (!got.ok) {
        ctx.log.warn('dropped a profile', { topic: p.topic, reason: got.reason })
        return repair()
      }
      if (current && got.ts === current.ts && got.id === current.id) {
        if (acked === null || got.ts >= acked) acked = got.ts // the broker holds it
        return null
      }
      if (got.avatarDropped) ctx.log.warn('dropped the avatar of a profile', { topic: p.topic, reason: got.avatarDropped })
      const candidate = { id: got.id, ts: got.ts, fields: got.fields }
      if (fromMyDevices.has(`${got.id}:${got.ts}`)) return adopt(account, candidate)
      if (current && got.ts <= current.ts) return repair() // older than mine: put mine back
      // Newer, not (yet) vouched for: my other device's word may be on its way (it travels apart).
      // Wait a moment before putting mine back, so two devices of mine do not overwrite each other.
      unvouched = candidate
      const timer = setTimeout(() => {
        if (unvouched === candidate) repair()?.()
      }, VOUCH_WAIT_MS)
      timer.unref()
      return null
    }

    // My other device changed my profile: that version is mine, here too.
    devices.onShared(SHARED_KIND, SharedVersionSchema, ({ id, ts }) => {
      const account = ctx.account()
      if (!account) return
      fromMyDevices.add(`${id}:${ts}`)
      if (fromMyDevices.size > MAX_VERSIONS) fromMyDevices.delete(fromMyDevices.values().next().value!)
      if (unvouched?.id === id && unvouched.ts === ts) return adopt(account, unvouched) ?? undefined
    })

    const handle = (account: Account, packets: readonly IPublishPacket[]): (() => void) | void => {
      const changed = new Set<string>()
      const after: (() => void)[] = []
      for (const p of packets) {
        const user = profileOwner(account.root, p.topic)
        if (!user) {
          ctx.log.warn('dropped a profile', { topic: p.topic, reason: 'not a profile topic' })
          continue
        }
        if (user === account.user) {
          const then = handleMine(account, p)
          if (then) after.push(then)
          continue
        }
        if ((p.payload as Uint8Array).byteLength === 0) {
          if (store.clear(user)) changed.add(user)
          continue
        }
        const got = decodeProfile(ctx.codec, p.topic, p.payload as Uint8Array, user)
        if (!got.ok) {
          ctx.log.warn('dropped a profile', { topic: p.topic, reason: got.reason })
          continue
        }
        const known = store.ts(user)
        if (known !== null && got.ts <= known) {
          ctx.log.debug('kept a newer profile', { user, kept: known, offered: got.ts, retained: p.retain })
          continue
        }
        if (got.avatarDropped) ctx.log.warn('dropped the avatar of a profile', { topic: p.topic, reason: got.avatarDropped })
        store.put(user, got.fields, got.ts)
        changed.add(user)
      }
      if (changed.size === 0 && after.length === 0) return
      return () => {
        for (const user of changed) ctx.events.emit('profile', store.get(user))
        for (const fn of after) fn()
      }
    }

    const routeFor = (account: Account, user: string): Route => ({
      filter: profileTopic(account.root, user),
      qos: 1,
      retained: 'accept',
      handle: (packets) => handle(account, packets),
    })

    /** Starts following `user`'s profile now (a new conversation or contact, or someone asked about). */
    const follow = (user: string): void => {
      const account = ctx.account()
      if (!account || ctx.router.has(profileTopic(account.root, user))) return
      ctx.addRoute(routeFor(account, user))
    }

    ctx.events.on('conversation', (c) => {
      if (c.kind === 'dm') follow(c.peer)
    })
    // Contacts, once accepted. People who only ask are followed when the screen shows them (get()):
    // a flood of requests from made-up names must not become a flood of subscriptions.
    contacts.onChange((change) => {
      for (const c of change.changed) if (c.state === 'contact') follow(c.user)
    })

    const api: ProfilesApi = {
      displayName(user) {
        const name = user === me() ? mine.current?.name : store.name(user)
        return name ?? user
      },
      makeAvatar: async (bytes) => (await makeAvatar(bytes)).dataUrl,
    }

    return {
      api,
      routes: (account) => {
        const users = new Set([account.user, ...conversations.peers('dm'), ...contacts.contacts(), ...asked])
        return [...users].map((user) => routeFor(account, user))
      },
      onConnected() {
        repaired = false
        publishSoon()
      },
      onAccount() {
        asked.clear()
        fromMyDevices.clear()
        unvouched = null
        acked = null
        lastError = null
        mine.reload()
      },
      service: {
        async mine() {
          return mine.profile(ctx.requireAccount().user)
        },
        async update(changes) {
          return changeMine(ProfileUpdateSchema.parse(changes))
        },
        async setAvatar(image: AvatarUpload | null) {
          if (image === null) return changeMine({ avatar: null })
          const { base64 } = AvatarUploadSchema.parse(image)
          const avatar = await makeAvatar(Buffer.from(base64, 'base64'))
          ctx.log.info('avatar made', { pixels: avatar.width, bytes: avatar.bytes })
          return changeMine({ avatar: avatar.dataUrl })
        },
        async get(user) {
          const name = NameSchema.parse(user)
          if (name !== me()) {
            asked.add(name)
            follow(name)
          }
          return profileOf(name)
        },
        async publishState(): Promise<ProfilePublishState> {
          const r = mine.current
          return { published: r !== null && acked !== null && acked >= r.ts, error: lastError }
        },
      },
    }
  },
})
