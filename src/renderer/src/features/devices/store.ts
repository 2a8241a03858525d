import { defineStore } from 'pinia'
import { ref } from 'vue'
import type { Device } from '../../../../shared/contract'

/** My devices as last read (null: not yet), or why they could not be read. State only. */
export const useDevicesStore = defineStore('devices', () => {
  const list = ref<Device[] | null>(null)
  const loadError = ref<string | null>(null)

  function set(devices: Device[]): void {
    list.value = devices
    loadError.value = null
  }

  function failed(message: string): void {
    loadError.value = message
  }

  return { list, loadError, set, failed }
})
