import { computed, ref } from 'vue'
import { errorMessage } from '../../ui/errors'
import { useNow } from '../../ui/use-now'
import { useAccountActions } from './io'
import { useAccountStore } from './store'

/** A first connection attempt that lasts longer than this is worth a notice. */
const SLOW_CONNECT_MS = 3000

/** The connection as the badge and the notice show it, and the "Retry now" action. */
export function useConnection() {
  const account = useAccountStore()
  const actions = useAccountActions()
  const now = useNow(1000)
  const retrying = ref(false)
  const retryError = ref<string | null>(null)

  const status = computed(() => account.connection)
  const state = computed(() => status.value?.state ?? 'idle')

  /** Seconds until the next automatic attempt, while reconnecting. */
  const retryIn = computed(() => {
    const ms = status.value?.retryInMs
    if (state.value !== 'reconnecting' || ms == null) return null
    const left = Math.ceil((account.connectionAt + ms - now.value) / 1000)
    return left > 0 ? left : null
  })

  const label = computed(() => {
    switch (state.value) {
      case 'connected':
        return 'Connected'
      case 'connecting':
        return 'Connecting…'
      case 'reconnecting':
        return 'Reconnecting…'
      case 'error':
        return 'Connection error'
      default:
        return 'Offline'
    }
  })

  /** Whether to offer details and "Retry now": not connected, and not just starting to connect. */
  const troubled = computed(() => {
    if (state.value === 'connected') return false
    if (state.value === 'connecting') return now.value - account.connectionAt > SLOW_CONNECT_MS
    return true
  })

  const headline = computed(() => {
    switch (state.value) {
      case 'reconnecting':
        return retryIn.value ? `Offline — retrying in ${retryIn.value}s` : 'Offline — retrying…'
      case 'connecting':
        return 'Still connecting…'
      case 'error':
        return 'Cannot connect to the broker'
      default:
        return 'Not connected'
    }
  })

  const detail = computed(() => retryError.value ?? (state.value === 'connected' ? null : (status.value?.detail ?? null)))

  async function retry(): Promise<void> {
    retrying.value = true
    retryError.value = null
    try {
      await actions.reconnect()
    } catch (err) {
      retryError.value = errorMessage(err)
    } finally {
      retrying.value = false
    }
  }

  return { status, state, label, headline, detail, troubled, retrying, retry }
}
