import { defineStore } from 'pinia'
import { ref } from 'vue'
import type { BroadcastSettings } from '../../../../shared/contract'

/** Regional broadcasts: the regions followed and whether this account may publish. State only. */
export const useBroadcastsStore = defineStore('broadcasts', () => {
  const regions = ref<string[]>([])
  const admin = ref(false)
  /** The settings have arrived (until then, "no region" would be a guess). */
  const loaded = ref(false)
  /** Why they could not be read, for the settings section. */
  const loadError = ref<string | null>(null)

  function apply(s: BroadcastSettings): void {
    regions.value = [...s.regions]
    admin.value = s.admin
    loaded.value = true
    loadError.value = null
  }

  function failed(message: string): void {
    loadError.value = message
  }

  return { regions, admin, loaded, loadError, apply, failed }
})
