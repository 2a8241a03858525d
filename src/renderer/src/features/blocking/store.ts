import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import type { BlockedUser } from '../../../../shared/contract'

/** The people I blocked, and whom the "Block…" dialog is asking about. State only. */
export const useBlockingStore = defineStore('blocking', () => {
  const byUser = ref<Record<string, BlockedUser>>({})
  /** The first list has arrived (until then, "nobody blocked" would be a lie). */
  const loaded = ref(false)
  /** Why the list could not be read, for the settings section. */
  const loadError = ref<string | null>(null)
  /** The user the block dialog is open for. */
  const asking = ref<string | null>(null)

  /** Most recently blocked first. */
  const list = computed(() => Object.values(byUser.value).sort((a, b) => b.since - a.since || a.user.localeCompare(b.user)))

  function isBlocked(user: string): boolean {
    return user in byUser.value
  }

  function replaceAll(items: readonly BlockedUser[]): void {
    byUser.value = Object.fromEntries(items.map((b) => [b.user, b]))
    loaded.value = true
    loadError.value = null
  }

  function failed(message: string): void {
    loadError.value = message
  }

  function set(b: BlockedUser): void {
    byUser.value[b.user] = b
  }

  function drop(user: string): void {
    delete byUser.value[user]
  }

  function ask(user: string | null): void {
    asking.value = user
  }

  return { byUser, loaded, loadError, asking, list, isBlocked, replaceAll, failed, set, drop, ask }
})
