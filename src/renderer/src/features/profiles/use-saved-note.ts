import { onBeforeUnmount, ref, watch } from 'vue'
import type { ProfilePublishState } from '../../../../shared/contract'
import { useAccountStore } from '../account'
import { useProfilesActions } from './io'

/**
 * The line after a change of my profile: "Saved" for a moment, or, until the broker
 * has it, that others do not see it yet (said again once Parley is connected).
 */
export function useSavedNote() {
  const account = useAccountStore()
  const actions = useProfilesActions()
  const note = ref<{ text: string; pending: boolean } | null>(null)
  let timer: ReturnType<typeof setTimeout> | undefined

  /** Says whether what was just saved reached the broker (my engine publishes it before answering). */
  async function showSaved(): Promise<void> {
    clearTimeout(timer)
    let state: ProfilePublishState = { published: true, error: null }
    try {
      state = await actions.publishState()
    } catch {
      // An engine that cannot say: the change is saved all the same.
    }
    if (state.published) {
      note.value = { text: 'Saved', pending: false }
      timer = setTimeout(() => (note.value = null), 2500)
    } else {
      note.value = {
        text: state.error ? `Saved here, but others cannot see it yet: ${state.error}` : 'Saved here. Others will see it once Parley is connected.',
        pending: true,
      }
    }
  }

  // Connected again: the engine publishes my profile; say so once the broker has it.
  watch(
    () => account.connection?.state,
    (state) => {
      if (state !== 'connected' || !note.value?.pending) return
      clearTimeout(timer)
      timer = setTimeout(() => void showSaved(), 1500)
    },
  )
  onBeforeUnmount(() => clearTimeout(timer))

  return { note, showSaved }
}
