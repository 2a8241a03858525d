import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import type { AccountState, ConnectionStatus } from '../../../shared/contract'

export const useAccountStore = defineStore('account', () => {
  const state = ref<AccountState | null>(null)
  const connection = ref<ConnectionStatus | null>(null)
  const loadError = ref<string | null>(null)

  const configured = computed(() => state.value?.configured === true)
  const user = computed(() => state.value?.user ?? null)

  function setState(s: AccountState) {
    state.value = s
    connection.value = s.connection
  }

  return { state, connection, loadError, configured, user, setState }
})
