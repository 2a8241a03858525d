/**
 * The transport-neutral half of the API: a call is `{service, method, args}`,
 * its answer a `CallResult`. Electron IPC and the web host's WebSocket carry these
 * unchanged; `dispatchCall` validates on the trusted side, `createApiClient`
 * builds a `ParleyApi` on the untrusted side.
 */
import { z } from 'zod'
import { EVENT_NAMES, METHOD_ARGS, type ParleyApi, type ParleyEventName, type ParleyEvents, type ParleyServices } from './contract'

export interface CallRequest {
  service: string
  method: string
  args: unknown[]
}

/**
 * What went wrong, for code to branch on: `internal` is a fault of Parley's own
 * (its detail goes to the log, never to the screen).
 */
export type ErrorCode = 'invalid-argument' | 'not-found' | 'not-configured' | 'failed' | 'internal'
const ERROR_CODES: readonly ErrorCode[] = ['invalid-argument', 'not-found', 'not-configured', 'failed', 'internal']

export type CallResult = { ok: true; value: unknown } | { ok: false; error: { code: ErrorCode; message: string } }

/** An error a person can act on; its message is shown as is. */
export class ParleyError extends Error {
  constructor(
    message: string,
    readonly code: ErrorCode = 'failed',
  ) {
    super(message)
    this.name = 'ParleyError'
  }
}

const CallRequestSchema = z.object({
  service: z.string().max(64),
  method: z.string().max(64),
  args: z.array(z.unknown()).max(8),
})

function describeZodError(err: z.ZodError): string {
  const issue = err.issues[0]
  if (!issue) return 'Invalid argument.'
  // The first issue's message is written for people; the path only helps when nested.
  return issue.message
}

/**
 * Turns whatever a transport rejected with into a ParleyError with its code. Electron's
 * contextBridge copies only an Error's message across worlds, so the Electron preload
 * rejects with a plain `{ code, message }` object instead, which arrives whole.
 */
export function toParleyError(err: unknown): ParleyError {
  if (err instanceof ParleyError) return err
  const e = err as { code?: unknown; message?: unknown } | null
  const code = typeof e?.code === 'string' && (ERROR_CODES as readonly string[]).includes(e.code) ? (e.code as ErrorCode) : 'failed'
  const message = typeof e?.message === 'string' ? e.message : typeof err === 'string' ? err : 'Something went wrong.'
  return new ParleyError(message, code)
}

/** A short random reference that ties what the person sees to a line in the log. */
function incidentCode(): string {
  const bytes = new Uint8Array(4)
  globalThis.crypto.getRandomValues(bytes)
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('').toUpperCase()
}

/** Called with an unexpected error (a bug, a disk fault) and the code shown to the person. */
export type UnexpectedErrorSink = (err: unknown, detail: { code: string; service: string; method: string }) => void

/**
 * Validates `request` against METHOD_ARGS and runs it on `services`. Never throws.
 * A ParleyError's message is meant for people and passes as is; anything else
 * (SQLite text, file paths, stack traces) stays on this side: the caller gets
 * "Something went wrong (code …)" and `onUnexpected` gets the error.
 */
export async function dispatchCall(services: ParleyServices, request: unknown, onUnexpected?: UnexpectedErrorSink): Promise<CallResult> {
  const req = CallRequestSchema.safeParse(request)
  if (!req.success) return { ok: false, error: { code: 'invalid-argument', message: 'Malformed call.' } }
  const { service, method, args } = req.data
  const table = Object.hasOwn(METHOD_ARGS, service) ? (METHOD_ARGS as Record<string, Record<string, z.ZodType<unknown[]>>>)[service] : undefined
  const schema = table && Object.hasOwn(table, method) ? table[method] : undefined
  if (!schema) return { ok: false, error: { code: 'invalid-argument', message: `Unknown method ${service}.${method}.` } }
  const parsed = schema.safeParse(args)
  if (!parsed.success) return { ok: false, error: { code: 'invalid-argument', message: describeZodError(parsed.error) } }
  try {
    const target = services[service as keyof ParleyServices] as unknown as Record<string, (...a: unknown[]) => Promise<unknown>>
    const value = await target[method]!.apply(target, parsed.data)
    return { ok: true, value: value ?? null }
  } catch (err) {
    if (err instanceof ParleyError) return { ok: false, error: { code: err.code, message: err.message } }
    if (err instanceof z.ZodError) return { ok: false, error: { code: 'invalid-argument', message: describeZodError(err) } }
    const code = incidentCode()
    try {
      onUnexpected?.(err, { code, service, method })
    } catch {
      // Logging must not turn a failed call into a crash.
    }
    return { ok: false, error: { code: 'internal', message: `Something went wrong (code ${code}). The details are in Parley's log.` } }
  }
}

export function isEventName(name: unknown): name is ParleyEventName {
  return typeof name === 'string' && (EVENT_NAMES as readonly string[]).includes(name)
}

export type EventListener = (event: ParleyEventName, payload: unknown) => void

/**
 * Builds a ParleyApi from a transport: `call` sends one request and resolves with
 * its result; `subscribe` delivers every event and returns an unsubscribe.
 */
export function createApiClient(
  call: (req: CallRequest) => Promise<CallResult>,
  subscribe: (listener: EventListener) => () => void,
  /** How a failed call rejects; the Electron preload passes a plain object (see toParleyError). */
  failure: (error: { code: ErrorCode; message: string }) => unknown = (e) => new ParleyError(e.message, e.code),
): ParleyApi {
  const api: Record<string, unknown> = {}
  for (const [service, methods] of Object.entries(METHOD_ARGS)) {
    const proxy: Record<string, (...args: unknown[]) => Promise<unknown>> = {}
    for (const method of Object.keys(methods)) {
      proxy[method] = async (...args: unknown[]) => {
        const result = await call({ service, method, args })
        if (result.ok) return result.value
        throw failure(result.error)
      }
    }
    api[service] = Object.freeze(proxy)
  }
  const listeners = new Map<ParleyEventName, Set<(payload: never) => void>>()
  let unsubscribeTransport: (() => void) | null = null
  api.on = <K extends ParleyEventName>(event: K, listener: (payload: ParleyEvents[K]) => void) => {
    if (!isEventName(event)) throw new ParleyError(`Unknown event ${String(event)}.`, 'invalid-argument')
    if (!unsubscribeTransport) {
      unsubscribeTransport = subscribe((name, payload) => {
        for (const l of listeners.get(name) ?? []) (l as (p: unknown) => void)(payload)
      })
    }
    let set = listeners.get(event)
    if (!set) listeners.set(event, (set = new Set()))
    set.add(listener as (payload: never) => void)
    return () => {
      set.delete(listener as (payload: never) => void)
    }
  }
  return Object.freeze(api) as unknown as ParleyApi
}
