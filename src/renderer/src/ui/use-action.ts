import { ref } from 'vue'
import { errorMessage } from './errors'

/**
 * The buttons of a dialog or a banner: one action at a time. `busy` names the one
 * running ('accept', 'remove'…: a button shows "Accepting…"), `error` says why the last
 * one failed ("Could not accept: …"). An action asked for while another runs is dropped.
 */
export function useAction() {
  const busy = ref<string | null>(null)
  const error = ref<string | null>(null)

  async function run(what: string, fn: () => Promise<unknown>): Promise<void> {
    if (busy.value) return
    busy.value = what
    error.value = null
    try {
      await fn()
    } catch (err) {
      error.value = `Could not ${what}: ${errorMessage(err)}`
    } finally {
      busy.value = null
    }
  }

  return { busy, error, run }
}

/** The same for the rows of a list (people, keyed by user name): each row runs one action at a time, and shows its own failure. */
export function useRowActions() {
  const busy = ref<Record<string, string>>({})
  const errors = ref<Record<string, string>>({})

  async function run(key: string, what: string, fn: () => Promise<unknown>): Promise<void> {
    if (busy.value[key]) return
    busy.value[key] = what
    delete errors.value[key]
    try {
      await fn()
    } catch (err) {
      errors.value[key] = `Could not ${what}: ${errorMessage(err)}`
    } finally {
      delete busy.value[key]
    }
  }

  return { busy, errors, run }
}
