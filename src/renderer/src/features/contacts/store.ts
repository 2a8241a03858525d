import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import type { Contact, ContactsChange } from '../../../../shared/contract'

const newestFirst = (a: Contact, b: Contact) => b.since - a.since || a.user.localeCompare(b.user)

/** My contacts and the friend requests in flight, and whose details are open. State only. */
export const useContactsStore = defineStore('contacts', () => {
  const byUser = ref<Record<string, Contact>>({})
  /** The first list has arrived (until then, "no contacts" would be a lie). */
  const loaded = ref(false)
  /** Why the list could not be read; shown in the panel with "Try again". */
  const loadError = ref<string | null>(null)
  /** The user whose contact details dialog is open. */
  const detailsFor = ref<string | null>(null)

  const all = computed(() => Object.values(byUser.value))
  /** They asked me: newest first. */
  const incoming = computed(() => all.value.filter((c) => c.state === 'incoming').sort(newestFirst))
  /** I asked them: newest first. */
  const outgoing = computed(() => all.value.filter((c) => c.state === 'outgoing').sort(newestFirst))
  /** Accepted, by user name (the panel sorts by the name it shows). */
  const contacts = computed(() => all.value.filter((c) => c.state === 'contact').sort((a, b) => a.user.localeCompare(b.user)))

  function replaceAll(items: readonly Contact[]): void {
    byUser.value = Object.fromEntries(items.map((c) => [c.user, c]))
    loaded.value = true
    loadError.value = null
  }

  /** One batch of changes in one assignment: a flood of a thousand requests is one update, not a thousand. */
  function apply(change: ContactsChange): void {
    if (!change.changed.length && !change.removed.length) return
    const next = { ...byUser.value }
    for (const user of change.removed) delete next[user]
    for (const c of change.changed) next[c.user] = c
    byUser.value = next
  }

  function set(c: Contact): void {
    byUser.value[c.user] = c
  }

  function drop(user: string): void {
    delete byUser.value[user]
  }

  function failed(message: string): void {
    loadError.value = message
  }

  function showDetails(user: string | null): void {
    detailsFor.value = user
  }

  return { byUser, loaded, loadError, detailsFor, incoming, outgoing, contacts, replaceAll, apply, set, drop, failed, showDetails }
})
