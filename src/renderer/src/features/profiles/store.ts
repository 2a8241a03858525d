import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import type { Profile } from '../../../../shared/contract'

/**
 * Whether `incoming` should replace `current`: the profile the owner changed last
 * wins, so an answer that was on its way while a `profile` event arrived cannot
 * bring back the older name or photo. Unknown times (never heard) lose to known ones.
 */
export function isNewer(incoming: Profile, current: Profile | undefined): boolean {
  if (!current) return true
  if (incoming.updatedAt === null) return current.updatedAt === null
  if (current.updatedAt === null) return true
  return incoming.updatedAt >= current.updatedAt
}

/** People's profiles as last known, mine among them. State only. */
export const useProfilesStore = defineStore('profiles', () => {
  const byUser = ref<Record<string, Profile>>({})
  /** My user name, once my profile has been read. */
  const me = ref<string | null>(null)
  const mine = computed(() => (me.value ? (byUser.value[me.value] ?? null) : null))

  /** Keeps `p` unless a newer profile of that user is already known; true when kept. */
  function set(p: Profile): boolean {
    if (!isNewer(p, byUser.value[p.user])) return false
    byUser.value[p.user] = p
    return true
  }

  /** My own profile (as my engine answered), by the same newest-wins rule: another device of mine may have changed it since. */
  function setMine(p: Profile): void {
    me.value = p.user
    set(p)
  }

  /** Another account signed in: nothing known about anyone yet. */
  function clear(): void {
    byUser.value = {}
    me.value = null
  }

  return { byUser, me, mine, set, setMine, clear }
})
