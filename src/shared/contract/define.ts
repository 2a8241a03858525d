/**
 * How one feature declares its part of the contract: the argument schema of each
 * service method (the keys are the method list) and the names of the events it
 * emits. The service interface and the event payloads are TypeScript types carried
 * along as phantoms, so `index.ts` derives ParleyServices and ParleyEvents from the
 * same object that validates calls.
 */
import type { z } from 'zod'

export type Unsubscribe = () => void

/** Every method of a service takes validated arguments and answers asynchronously. */
export type ServiceShape = { [method: string]: (...args: never[]) => Promise<unknown> }

export interface FeatureContract<S, E> {
  readonly methods: { readonly [M in keyof S]: z.ZodType<unknown[]> }
  readonly events: readonly (keyof E & string)[]
  /** Type carriers only; never set at run time. */
  readonly __service?: S
  readonly __events?: E
}

/**
 * `defineContract<MyService, MyEvents>()({ methods: {...}, events: [...] })`: the
 * two-step call lets TypeScript check the method table against `MyService` while
 * keeping the schemas' own types.
 */
export function defineContract<S, E = Record<never, never>>() {
  return <C extends { methods: { [M in keyof S]: z.ZodType<unknown[]> }; events: readonly (keyof E & string)[] }>(c: C): C & FeatureContract<S, E> =>
    c as C & FeatureContract<S, E>
}

export type ServiceOf<C> = C extends { readonly __service?: infer S } ? S : never
export type EventsOf<C> = C extends { readonly __events?: infer E } ? E : never
