import { defineStore } from 'pinia'
import { ref } from 'vue'

/**
 * Whether the Requests list is open in the sidebar. State only: the request
 * conversations themselves are the conversations store's (folder 'requests').
 */
export const useMessageRequestsStore = defineStore('message-requests', () => {
  const showing = ref(false)

  function show(on: boolean): void {
    showing.value = on
  }

  return { showing, show }
})
