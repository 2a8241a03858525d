/** The contacts feature's I/O: the list and the friend requests in and out, kept current by `contacts` events. */
import { inject, markRaw, shallowReactive, type Component, type InjectionKey } from 'vue'
import type { Contact, Profile } from '../../../../shared/contract'
import { errorMessage, warn } from '../../ui/errors'
import { AccountActionsKey } from '../account'
import type { FeatureContext } from '../feature'
import { useContactsStore } from './store'

export interface ContactsActions {
  /** Sends a friend request (accepts at once if they asked me first). */
  request(user: string, note?: string): Promise<Contact>
  accept(user: string): Promise<void>
  decline(user: string): Promise<void>
  /** Withdraws my pending request. */
  cancel(user: string): Promise<void>
  /** Removes a contact. */
  remove(user: string): Promise<void>
  /** Reads the list again (the panel's "Try again"). */
  reload(): Promise<void>
  /** `user`'s profile (status line, display name) for the details dialog; null when it cannot be had. */
  profileOf(user: string): Promise<Profile | null>
  /** Opens (or, with null, closes) the contact details dialog. */
  showDetails(user: string | null): void
  /** Controls other features put at the top of the contacts panel (no props), e.g. "Find friends by phone number". Reactive. */
  readonly tools: readonly Component[]
  addTool(component: Component): () => void
}

export const ContactsActionsKey: InjectionKey<ContactsActions> = Symbol('parley-contacts')

export function useContactsActions(): ContactsActions {
  const actions = inject(ContactsActionsKey)
  if (!actions) throw new Error('The contacts feature is not installed.')
  return actions
}

export function setupContacts(ctx: FeatureContext): void {
  const { api } = ctx
  const store = useContactsStore(ctx.pinia)
  const account = ctx.inject(AccountActionsKey)
  const tools = shallowReactive<Component[]>([])

  async function load(): Promise<void> {
    try {
      store.replaceAll(await api.contacts.list())
    } catch (err) {
      // The rest of Parley works without it: the panel says why and offers "Try again".
      store.failed(errorMessage(err))
      warn('reading the contacts')(err)
    }
  }

  ctx.onStop(account.onSignedIn(load))
  // Events were missed while the connection was down (and requests may have lapsed): read again.
  ctx.onStop(account.onReconnected(() => void load()))
  ctx.onStop(api.on('contacts', (change) => store.apply(change)))

  ctx.provide(ContactsActionsKey, {
    async request(user, note) {
      const trimmed = note?.trim()
      const contact = await api.contacts.request(trimmed ? { user, note: trimmed } : { user })
      store.set(contact)
      return contact
    },
    async accept(user) {
      store.set(await api.contacts.accept(user))
    },
    async decline(user) {
      await api.contacts.decline(user)
      store.drop(user)
    },
    async cancel(user) {
      await api.contacts.cancel(user)
      store.drop(user)
    },
    async remove(user) {
      await api.contacts.remove(user)
      store.drop(user)
    },
    reload: load,
    profileOf: (user) =>
      api.profiles.get(user).catch((err: unknown) => {
        warn(`reading the profile of ${user}`)(err)
        return null
      }),
    showDetails: (user) => store.showDetails(user),
    tools,
    addTool(component) {
      const entry = markRaw(component)
      tools.push(entry)
      return () => {
        const at = tools.indexOf(entry)
        if (at >= 0) tools.splice(at, 1)
      }
    },
  })
}
