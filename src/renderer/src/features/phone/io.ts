/** The phone feature's I/O: my registered number, and looking up an address book file's numbers on Parley. */
import { inject, type InjectionKey } from 'vue'
import { errorMessage, warn } from '../../ui/errors'
import type { FeatureContext } from '../feature'
import { fileProblem, regionFromLanguages } from './format'
import { usePhoneStore } from './store'

/** What importFile needs of a picked file (a File has it). */
export interface PickedFile {
  name: string
  size: number
  text(): Promise<string>
}

export interface PhoneActions {
  /** Reads a picked CSV or vCard file and looks its numbers up; the dialog shows how it goes. */
  importFile(file: PickedFile): Promise<void>
  /** Reads the same file's numbers again with another region for numbers written without +. */
  setCountry(code: string | null): Promise<void>
  /** Closes the dialog; an answer still on its way is dropped. */
  closeImport(): void
  loadMine(): Promise<void>
  register(number: string, country: string | null): Promise<void>
  unregister(): Promise<void>
}

export const PhoneActionsKey: InjectionKey<PhoneActions> = Symbol('parley-phone')

export function usePhoneActions(): PhoneActions {
  const actions = inject(PhoneActionsKey)
  if (!actions) throw new Error('The phone feature is not installed.')
  return actions
}

export function setupPhone(ctx: FeatureContext): void {
  const { api } = ctx
  const store = usePhoneStore(ctx.pinia)
  store.setCountry(regionFromLanguages(typeof navigator === 'undefined' ? [] : navigator.languages))
  /** The last file's text, kept out of the store (up to 5 MB, and not state anyone shows). */
  let text: string | null = null
  /** Counts searches, so an answer to one the person left (closed, or picked another file) is dropped. */
  let generation = 0

  async function search(gen: number): Promise<void> {
    if (text === null) return
    store.searching()
    try {
      const result = await api.phone.discover(store.country ? { text, country: store.country } : { text })
      if (gen === generation) store.found(result)
    } catch (err) {
      if (gen === generation) store.importFailed(`Could not look the numbers up: ${errorMessage(err)}`)
    }
  }

  ctx.provide(PhoneActionsKey, {
    async importFile(file) {
      const gen = ++generation
      store.startImport(file.name)
      text = null
      const problem = fileProblem(file)
      if (problem) return store.importFailed(problem)
      try {
        const read = await file.text()
        if (gen !== generation) return
        text = read
      } catch (err) {
        if (gen === generation) store.importFailed(`Could not read that file: ${errorMessage(err)}`)
        return
      }
      await search(gen)
    },
    async setCountry(code) {
      store.setCountry(code)
      if (text !== null && store.importOpen) await search(++generation)
    },
    closeImport() {
      generation++
      text = null
      store.closeImport()
    },
    async loadMine() {
      try {
        store.setMine(await api.phone.mine())
      } catch (err) {
        store.mineFailed(errorMessage(err))
        warn('reading my phone number')(err)
      }
    },
    async register(number, country) {
      store.setMine(await api.phone.register(country ? { number, country } : { number }))
    },
    async unregister() {
      store.setMine(await api.phone.unregister())
    },
  })
}
