/**
 * What a renderer feature is: a name, the features it uses, and a setup that wires
 * its I/O (calls the API, feeds its store, subscribes to its events) and adds its
 * contributions to the extension points. The app installs the features listed in
 * `features/index.ts`, dependencies first.
 *
 * A feature uses another one only through that feature's `index.ts` and only if it
 * names it in `dependsOn`: `ctx.inject` refuses a key that no declared dependency
 * (or the feature itself) provided, and a unit test checks the imports.
 */
import type { InjectionKey } from 'vue'
import type { Pinia } from 'pinia'
import type { ParleyApi } from '../../../shared/contract'
import type { Extensions } from '../ui/extensions'

export interface FeatureContext {
  readonly api: ParleyApi
  readonly pinia: Pinia
  readonly extensions: Extensions
  /** Offers `value` to components (`inject(key)`) and to the features that depend on this one. */
  provide<T>(key: InjectionKey<T>, value: T): void
  /** Something a declared dependency provided in its setup (which has run). */
  inject<T>(key: InjectionKey<T>): T
  /** Runs when the app stops (unsubscribe, clear timers). */
  onStop(fn: () => void): void
}

export interface Feature {
  readonly name: string
  /** Features whose public surface (index.ts) this one uses. */
  readonly dependsOn?: readonly string[]
  /** Synchronous wiring only; may return a `start` that does the first reads (it may reject: the app shows why). */
  setup(ctx: FeatureContext): { start?(): Promise<void> } | void
}

export function defineFeature<const F extends Feature>(feature: F): F {
  return feature
}
