/**
 * Renderer features installed the way the app installs them, into a stand-in Vue
 * app that keeps what each feature provides, so a test can reach a feature's
 * actions and the extension points.
 */
import { createPinia, type Pinia } from 'pinia'
import type { App, InjectionKey } from 'vue'
import type { ParleyApi } from '../../../src/shared/contract'
import { installFeatures, type InstalledFeatures } from '../../../src/renderer/src/app/install'
import type { Feature } from '../../../src/renderer/src/features/feature'
import { ExtensionsKey, type Extensions } from '../../../src/renderer/src/ui/extensions'

/** A stand-in for the Vue app: `provide` only, recorded. */
export function fakeApp(): { app: App; provided: Map<unknown, unknown> } {
  const provided = new Map<unknown, unknown>()
  const app = { provide: (key: unknown, value: unknown) => provided.set(key, value) } as unknown as App
  return { app, provided }
}

export interface Installed extends InstalledFeatures {
  pinia: Pinia
  extensions: Extensions
  /** What a feature provided under `key`. */
  use<T>(key: InjectionKey<T>): T
}

/** Installs `features` over `parley` (not started yet: call `start()`). */
export function installOver(parley: ParleyApi, features: readonly Feature[], pinia: Pinia = createPinia()): Installed {
  const { app, provided } = fakeApp()
  const installed = installFeatures(app, parley, pinia, features)
  return {
    start: () => installed.start(),
    stop: () => installed.stop(),
    pinia,
    extensions: provided.get(ExtensionsKey) as Extensions,
    use<T>(key: InjectionKey<T>): T {
      if (!provided.has(key)) throw new Error(`No feature provided ${String(key)}.`)
      return provided.get(key) as T
    },
  }
}
