import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import type { AccountState, ConnectionStatus } from '../../../../shared/contract'

/** Who I am, where I connect, and how that connection is doing. State only. */
export const useAccountStore = defineStore('account', () => {
  const state = ref<AccountState | null>(null)
  const connection = ref<ConnectionStatus | null>(null)
  /** When `connection` arrived (ms), so a retry countdown can run from it. */
  const connectionAt = ref(0)

  const configured = computed(() => state.value?.configured ?? false)
  const user = computed(() => state.value?.user ?? null)
  const problem = computed(() => state.value?.problem ?? null)

  function setConnection(status: ConnectionStatus): void {
    connection.value = status
    connectionAt.value = Date.now()
  }

  function setState(next: AccountState): void {
    state.value = next
    setConnection(next.connection)
  }

  return { state, connection, connectionAt, configured, user, problem, setState, setConnection }
})
