/**
 * The profiles feature's I/O: people's display names and photos wherever a name or
 * avatar is drawn (through `person.name` / `person.avatar`), kept current by the
 * `profile` event, and my own profile for the settings section.
 */
import { inject, type InjectionKey } from 'vue'
import type { AvatarUpload, Profile, ProfilePublishState, ProfileUpdate } from '../../../../shared/contract'
import { nameProblem } from '../../../../shared/protocol/names'
import { errorMessage } from '../../ui/errors'
import { AccountActionsKey, useAccountStore } from '../account'
import type { FeatureContext } from '../feature'
import { createProfileFetcher } from './fetcher'
import { useProfilesStore } from './store'

export interface ProfilesActions {
  /** `user` is on screen: read their profile once (events keep it current after that). */
  watch(user: string): void
  /** Reads my profile again (the settings section does on opening). */
  loadMine(): Promise<Profile>
  update(changes: ProfileUpdate): Promise<Profile>
  /** Sets my photo from an image file's bytes (the engine resizes it); null removes it. */
  setAvatar(image: AvatarUpload | null): Promise<Profile>
  /** Whether the broker has my current profile (others can see it), or why not. */
  publishState(): Promise<ProfilePublishState>
}

export const ProfilesActionsKey: InjectionKey<ProfilesActions> = Symbol('parley-profiles')

export function useProfilesActions(): ProfilesActions {
  const actions = inject(ProfilesActionsKey)
  if (!actions) throw new Error('The profiles feature is not installed.')
  return actions
}

/** Photos are drawn as <img src>: only an image data URL is accepted, whatever an engine sends. */
const IMAGE_DATA_URL = /^data:image\/(png|jpeg|webp|gif);base64,[A-Za-z0-9+/=]+$/

export function safeAvatar(avatar: string | null | undefined): string | null {
  return avatar && IMAGE_DATA_URL.test(avatar) ? avatar : null
}

/** A display name worth showing instead of the user name (blank ones are not). */
export function shownName(p: Profile | undefined): string | null {
  const name = p?.name?.trim()
  return name ? name : null
}

export function setupProfiles(ctx: FeatureContext): void {
  const { api } = ctx
  const store = useProfilesStore(ctx.pinia)
  const accountStore = useAccountStore(ctx.pinia)
  const account = ctx.inject(AccountActionsKey)

  /** Bumped when another account signs in: answers for the previous one are dropped. */
  let epoch = 0
  let signedInAs: string | null = null
  /** One warning per kind of failure, not one per person on screen. */
  const warned = new Set<string>()

  function warnOnce(what: string, err: unknown): void {
    const message = errorMessage(err)
    if (warned.has(message)) return
    warned.add(message)
    console.warn(`parley: ${what} failed: ${message}`)
  }

  const fetcher = createProfileFetcher({
    async read(user) {
      const at = epoch
      try {
        const p = await api.profiles.get(user)
        if (at === epoch && p.user === user) store.set(p)
      } catch (err) {
        warnOnce('reading profiles', err)
        throw err
      }
    },
  })

  async function loadMine(): Promise<Profile> {
    const at = epoch
    const p = await api.profiles.mine()
    if (at === epoch) store.setMine(p)
    return p
  }

  function want(user: string): void {
    // My own profile is read by loadMine; names that cannot be users (a '?' placeholder) are not asked for.
    if (user === accountStore.user || nameProblem(user) !== null) return
    fetcher.want(user)
  }

  ctx.onStop(
    api.on('profile', (p) => {
      fetcher.known(p.user)
      if (p.user === accountStore.user) store.setMine(p)
      else store.set(p)
    }),
  )
  ctx.onStop(
    account.onSignedIn(() => {
      if (signedInAs !== null && signedInAs !== accountStore.user) {
        epoch++
        fetcher.reset()
        store.clear()
      }
      signedInAs = accountStore.user
      // Not awaited as a failure: names fall back to user names, the settings section says what went wrong.
      loadMine().catch((err: unknown) => warnOnce('reading my profile', err))
    }),
  )
  // Events were missed while the connection was down: read again whoever is on screen.
  ctx.onStop(
    account.onReconnected(() => {
      loadMine().catch((err: unknown) => warnOnce('reading my profile', err))
      fetcher.refreshAll()
    }),
  )
  ctx.onStop(() => fetcher.reset())

  // Called inside the readers' computeds: `want` touches no reactive state (it only queues a read).
  ctx.extensions.add('person.name', {
    priority: 10,
    text: ({ user }) => {
      want(user)
      return shownName(store.byUser[user])
    },
  })
  ctx.extensions.add('person.avatar', {
    priority: 10,
    text: ({ user }) => {
      want(user)
      return safeAvatar(store.byUser[user]?.avatar)
    },
  })

  ctx.provide(ProfilesActionsKey, {
    watch: want,
    loadMine,
    async update(changes) {
      const p = await api.profiles.update(changes)
      store.setMine(p)
      return p
    },
    async setAvatar(image) {
      const p = await api.profiles.setAvatar(image)
      store.setMine(p)
      return p
    },
    publishState: () => api.profiles.publishState(),
  })
}
