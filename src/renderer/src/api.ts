/**
 * The renderer's one door to the engine: the only module that reads
 * `window.parley`. Every method of the API it exports rejects with a ParleyError
 * (with its code), whatever the transport rejected with: Electron's contextBridge
 * delivers plain `{ code, message }` objects, the web bridge real errors.
 */
import type { ParleyApi } from '../../shared/contract'
import { toParleyError } from '../../shared/rpc'

type AnyMethod = (...args: unknown[]) => Promise<unknown>

/** Wraps each service method of `raw` so that every rejection (or throw) becomes a ParleyError. */
export function normaliseApi(raw: ParleyApi): ParleyApi {
  const wrapped: Record<string, unknown> = {}
  for (const [name, service] of Object.entries(raw as unknown as Record<string, unknown>)) {
    if (name === 'on' || typeof service !== 'object' || service === null) continue
    const methods: Record<string, AnyMethod> = {}
    for (const [method, fn] of Object.entries(service as Record<string, unknown>)) {
      if (typeof fn !== 'function') continue
      methods[method] = async (...args: unknown[]) => {
        try {
          return await (fn as AnyMethod).apply(service, args)
        } catch (err) {
          throw toParleyError(err)
        }
      }
    }
    wrapped[name] = Object.freeze(methods)
  }
  wrapped.on = ((event, listener) => raw.on(event, listener)) satisfies ParleyApi['on']
  return Object.freeze(wrapped) as unknown as ParleyApi
}

/** The engine API of this page, or null when neither the preload nor the web host provided one. */
export function connectApi(): ParleyApi | null {
  const raw = typeof window === 'undefined' ? undefined : (window as { parley?: ParleyApi }).parley
  return raw ? normaliseApi(raw) : null
}
