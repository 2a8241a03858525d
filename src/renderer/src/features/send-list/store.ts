import { defineStore } from 'pinia'
import { ref } from 'vue'

/** Send to a list: whether the dialog is open. State only. */
export const useSendListStore = defineStore('sendList', () => {
  const open = ref(false)
  function show(on: boolean): void {
    open.value = on
  }
  return { open, show }
})
