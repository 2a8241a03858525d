/**
 * Installs the renderer's features into a Vue app: checks their dependencies,
 * runs their setups (dependencies first), and offers `start`/`stop` to the root
 * component through `useFeatures()`.
 */
import { inject, type App, type InjectionKey } from 'vue'
import type { Pinia } from 'pinia'
import type { ParleyApi } from '../../../shared/contract'
import type { Feature } from '../features/feature'
import { createExtensions, ExtensionsKey } from '../ui/extensions'

export interface InstalledFeatures {
  /** The features' first reads, in order; rejects with the first failure. */
  start(): Promise<void>
  stop(): void
}

export const InstalledFeaturesKey: InjectionKey<InstalledFeatures> = Symbol('parley-features')

export function useFeatures(): InstalledFeatures {
  const installed = inject(InstalledFeaturesKey)
  if (!installed) throw new Error('The features were not installed in this app.')
  return installed
}

/** `features` in an order where each comes after everything it depends on; throws on a missing or circular dependency. */
export function dependencyOrder(features: readonly Feature[]): Feature[] {
  const byName = new Map<string, Feature>()
  for (const f of features) {
    if (byName.has(f.name)) throw new Error(`Two renderer features are called "${f.name}".`)
    byName.set(f.name, f)
  }
  const ordered: Feature[] = []
  const state = new Map<string, 'visiting' | 'done'>()
  const visit = (f: Feature, path: string[]): void => {
    const s = state.get(f.name)
    if (s === 'done') return
    if (s === 'visiting') throw new Error(`Renderer features depend on each other in a circle: ${[...path, f.name].join(' → ')}.`)
    state.set(f.name, 'visiting')
    for (const dep of f.dependsOn ?? []) {
      const d = byName.get(dep)
      if (!d) throw new Error(`Renderer feature "${f.name}" depends on "${dep}", which is not installed.`)
      visit(d, [...path, f.name])
    }
    state.set(f.name, 'done')
    ordered.push(f)
  }
  for (const f of features) visit(f, [])
  return ordered
}

export function installFeatures(app: App, api: ParleyApi, pinia: Pinia, features: readonly Feature[]): InstalledFeatures {
  const extensions = createExtensions()
  app.provide(ExtensionsKey, extensions)
  /** Who provided each key, so a feature can only inject what its dependencies offer. */
  const providers = new Map<InjectionKey<unknown>, { feature: string; value: unknown }>()
  const starts: (() => Promise<void>)[] = []
  const stops: (() => void)[] = []

  for (const feature of dependencyOrder(features)) {
    const allowed = new Set([feature.name, ...(feature.dependsOn ?? [])])
    const hooks = feature.setup({
      api,
      pinia,
      extensions,
      provide(key, value) {
        providers.set(key as InjectionKey<unknown>, { feature: feature.name, value })
        app.provide(key, value)
      },
      inject<T>(key: InjectionKey<T>): T {
        const found = providers.get(key as InjectionKey<unknown>)
        if (!found) throw new Error(`Renderer feature "${feature.name}" asked for ${String(key)}, which no feature provided.`)
        if (!allowed.has(found.feature)) {
          throw new Error(`Renderer feature "${feature.name}" uses "${found.feature}" without declaring it in dependsOn.`)
        }
        return found.value as T
      },
      onStop: (fn) => stops.push(fn),
    })
    if (hooks?.start) starts.push(hooks.start)
  }

  const installed: InstalledFeatures = {
    async start() {
      for (const start of starts) await start()
    },
    stop() {
      for (const stop of stops.splice(0).reverse()) {
        try {
          stop()
        } catch (err) {
          console.warn('parley: stopping a feature failed', err)
        }
      }
    },
  }
  app.provide(InstalledFeaturesKey, installed)
  return installed
}
