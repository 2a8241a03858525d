import { defineStore } from 'pinia'
import { ref } from 'vue'
import type { MyPresence, Presence } from '../../../../shared/contract'

/** Other people's last known presence, and mine. State only. */
export const usePresenceStore = defineStore('presence', () => {
  const byUser = ref<Record<string, Presence>>({})
  const mine = ref<MyPresence | null>(null)

  function set(p: Presence): void {
    byUser.value[p.user] = p
  }

  function setMine(p: MyPresence): void {
    mine.value = p
  }

  return { byUser, mine, set, setMine }
})
