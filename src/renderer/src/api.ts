import type { ParleyApi } from '../../shared/contract'

/** The preload API; main.ts checks it exists before the app mounts. */
export function parley(): ParleyApi {
  const api = window.parley
  if (!api) throw new Error('Parley API missing')
  return api
}

/** The message of an error thrown by the API, for showing to the person. */
export function errorText(err: unknown): string {
  const msg = err instanceof Error ? err.message : String(err)
  // Electron prefixes errors that cross IPC; the person needs only our sentence.
  return msg.replace(/^Error invoking remote method '[^']+': (\w*Error: )?/, '')
}
