import type { IPublishPacket } from 'mqtt'
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
import type { ProfilesApi } from './api'
import { makeAvatar } from './avatar'
import { decodeProfile } from './inbound'
import { migration0011 } from './migrations/0011_profiles'
import { MyProfile, type MineRecord } from './mine'
import { ProfileStore } from './store'

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
  dependsOn: ['conversations', 'contacts'],
  migrations: [migration0011],
  create(ctx) {
    const conversations = ctx.use<ConversationsApi>('conversations')
    const contacts = ctx.use<ContactsApi>('contacts')
    const store = new ProfileStore(ctx.db)
    const mine = new MyProfile(ctx.prefs)
    /** People asked about with get() in this run: followed on every connection until Parley restarts. */
    const asked = new Set<string>()
    /** The version of my profile the broker acknowledged, and the last refusal. */
    let acked: number | null = null
    let lastError: string | null = null

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
      mine.change(changes)
      const p = mine.profile(user)
      ctx.events.emit('profile', p)
      await publishMine()
      return p
    }

    /** What arrived on my own topic (inside the batch's transaction); returns after-commit work. */
    const handleMine = (account: Account, p: IPublishPacket): (() => void) | null => {
      const current = mine.current
      if ((p.payload as Uint8Array).byteLength === 0) return current ? publishSoon : null
      const got = decodeProfile(ctx.codec, p.topic, p.payload as Uint8Array, account.user)
      if (!got.ok) {
        ctx.log.warn('dropped a profile', { topic: p.topic, reason: got.reason })
        return current ? publishSoon : null // put mine back over what is not a profile
      }
      if (current && got.ts === current.ts && got.id === current.id) {
        if (acked === null || got.ts >= acked) acked = got.ts // the broker holds it
        return null
      }
      if (current && got.ts <= current.ts) return publishSoon // an older copy: mine is newer
      // Newer: from my other device.
      if (got.avatarDropped) ctx.log.warn('dropped the avatar of a profile', { topic: p.topic, reason: got.avatarDropped })
      mine.set({ id: got.id, ts: got.ts, ...got.fields })
      acked = got.ts
      return () => ctx.events.emit('profile', mine.profile(account.user))
    }

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
    // Requests too: a person asking to be my contact shows with their name and picture.
    contacts.onChange((change) => {
      for (const c of change.changed) follow(c.user)
    })

    const api: ProfilesApi = {
      displayName(user) {
        const name = user === me() ? mine.current?.name : store.name(user)
        return name ?? user
      },
    }

    return {
      api,
      routes: (account) => {
        const users = new Set([account.user, ...conversations.peers('dm'), ...contacts.contacts(), ...asked])
        return [...users].map((user) => routeFor(account, user))
      },
      onConnected: publishSoon,
      onAccount() {
        asked.clear()
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
