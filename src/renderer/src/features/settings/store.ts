import { defineStore } from 'pinia'
import { ref } from 'vue'

/** Whether the settings screen is open, and on which section. State only. */
export const useSettingsStore = defineStore('settings', () => {
  const isOpen = ref(false)
  /** The section chosen; null: none yet (a wide window shows the first, a narrow one the list of sections). */
  const section = ref<string | null>(null)
  /** How many places can show the screen now (the app shell, once signed in): opening without one would wait unseen. */
  const hosts = ref(0)
  return { isOpen, section, hosts }
})
