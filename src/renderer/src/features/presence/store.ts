import { defineStore } from 'pinia'
import { ref } from 'vue'
import type { MyPresence, Presence, PresenceSettings } from '../../../../shared/contract'

/** Other people's last known presence, and mine. State only. */
export const usePresenceStore = defineStore('presence', () => {
  const byUser = ref<Record<string, Presence>>({})
  const mine = ref<MyPresence | null>(null)
  /** Away-after minutes and appear offline, once read. */
  const settings = ref<PresenceSettings | null>(null)

  function set(p: Presence): void {
    byUser.value[p.user] = p
  }

  function setMine(p: MyPresence): void {
    mine.value = p
  }

  function setSettings(s: PresenceSettings): void {
    settings.value = s
  }

  return { byUser, mine, settings, set, setMine, setSettings }
})
