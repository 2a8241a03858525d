/**
 * The web host's stand-in for the Electron preload: builds the same `window.parley`
 * (a ParleyApi) over the host's WebSocket bridge (src/host/server.ts).
 *
 * Browser code only. The host injects this module as the first script of
 * index.html, so `window.parley` exists before the app's own module runs.
 *
 * - Calls made before the socket opens (or while it reconnects) are queued and
 *   sent once it opens; a queued call gives up after QUEUE_TIMEOUT_MS.
 * - When the socket drops, calls already sent are rejected with a ParleyError
 *   (their outcome is unknown), the app is told through a `connection` event, and
 *   the bridge reconnects with a growing back-off. On reconnect it re-reads the
 *   engine's real connection state and announces it.
 */
import type { ConnectionStatus, ParleyApi } from '../shared/contract'
import { createApiClient, isEventName, ParleyError, type CallRequest, type CallResult, type EventListener } from '../shared/rpc'

const QUEUE_TIMEOUT_MS = 30_000
const BACKOFF_MS = [250, 500, 1000, 2000, 4000] as const

const LOST = 'Lost connection to the Parley host; the call may not have completed. Retrying the connection…'
const UNREACHABLE =
  'Cannot reach the Parley host. Is it still running? If it was restarted, open the new link it printed.'
const NO_TOKEN =
  'This page was opened without its access token. Open the full link the Parley web host printed (it ends with ?token=…).'

interface Pending {
  resolve: (result: CallResult) => void
  reject: (err: Error) => void
  timer: ReturnType<typeof setTimeout> | null
}

function createBridge() {
  const token = new URLSearchParams(location.search).get('token') ?? ''
  const listeners = new Set<EventListener>()
  /** Calls waiting for the socket to open, in order. */
  const queue: { id: number; frame: string }[] = []
  /** Calls sent or queued, waiting for their answer. */
  const pending = new Map<number, Pending>()
  let nextId = 1
  let socket: WebSocket | null = null
  let open = false
  let failures = 0
  let everOpened = false

  const emit: EventListener = (event, payload) => {
    for (const l of [...listeners]) {
      try {
        l(event, payload)
      } catch (err) {
        console.error('parley: event listener failed', err)
      }
    }
  }

  const announceLost = (retryInMs: number) => {
    const status: ConnectionStatus = {
      state: 'reconnecting',
      broker: null,
      detail:
        failures > 3
          ? 'Cannot reach the Parley host. If it was restarted, open the new link it printed.'
          : 'Lost connection to the Parley host; reconnecting…',
      protocolVersion: null,
      retryInMs,
    }
    emit('connection', status)
  }

  const refreshAfterReconnect = () => {
    // Events sent while we were away are lost: tell the app the engine's real state.
    void call({ service: 'account', method: 'getState', args: [] }).then(
      (r) => {
        if (r.ok && r.value && typeof r.value === 'object' && 'connection' in r.value) {
          emit('connection', (r.value as { connection: ConnectionStatus }).connection)
        }
      },
      () => {},
    )
  }

  const connect = () => {
    const ws = new WebSocket(`ws://${location.host}/bridge?token=${encodeURIComponent(token)}`)
    socket = ws
    ws.onopen = () => {
      open = true
      failures = 0
      const reconnected = everOpened
      everOpened = true
      while (queue.length > 0) {
        const q = queue.shift()!
        const p = pending.get(q.id)
        if (!p) continue // timed out while queued
        if (p.timer) clearTimeout(p.timer)
        p.timer = null
        ws.send(q.frame)
      }
      if (reconnected) refreshAfterReconnect()
    }
    ws.onmessage = (ev: MessageEvent) => {
      if (typeof ev.data !== 'string') return
      let msg: unknown
      try {
        msg = JSON.parse(ev.data)
      } catch {
        return
      }
      if (typeof msg !== 'object' || msg === null) return
      const m = msg as { id?: unknown; result?: unknown; event?: unknown; payload?: unknown }
      if (typeof m.id === 'number') {
        const p = pending.get(m.id)
        if (!p) return
        pending.delete(m.id)
        const r = m.result as CallResult | undefined
        if (r && typeof r === 'object' && typeof r.ok === 'boolean') p.resolve(r)
        else p.reject(new ParleyError('The Parley host sent a malformed answer.'))
      } else if (isEventName(m.event)) {
        emit(m.event, m.payload)
      }
    }
    ws.onclose = () => {
      if (socket !== ws) return
      socket = null
      const wasOpen = open
      open = false
      // Calls that were sent may or may not have run: say so instead of guessing.
      const queuedIds = new Set(queue.map((q) => q.id))
      for (const [id, p] of pending) {
        if (queuedIds.has(id)) continue
        pending.delete(id)
        p.reject(new ParleyError(LOST))
      }
      if (!wasOpen) failures++
      if (!everOpened && failures >= 3) {
        // Never got in: a stopped host or a stale link. Fail fast rather than after the queue timeout.
        for (const q of queue.splice(0)) {
          const p = pending.get(q.id)
          if (!p) continue
          pending.delete(q.id)
          if (p.timer) clearTimeout(p.timer)
          p.reject(new ParleyError(UNREACHABLE))
        }
      }
      const delay = BACKOFF_MS[Math.min(failures, BACKOFF_MS.length - 1)]!
      const jittered = Math.round(delay * (0.8 + Math.random() * 0.4))
      if (everOpened) announceLost(jittered)
      setTimeout(connect, jittered)
    }
    // An error is always followed by close; the close handler does the work.
    ws.onerror = () => {}
  }

  function call(req: CallRequest): Promise<CallResult> {
    if (!token) return Promise.reject(new ParleyError(NO_TOKEN))
    const id = nextId++
    const frame = JSON.stringify({ id, call: req })
    return new Promise<CallResult>((resolve, reject) => {
      const p: Pending = { resolve, reject, timer: null }
      pending.set(id, p)
      if (open && socket && socket.readyState === WebSocket.OPEN) {
        socket.send(frame)
        return
      }
      queue.push({ id, frame })
      p.timer = setTimeout(() => {
        if (!pending.delete(id)) return
        const i = queue.findIndex((q) => q.id === id)
        if (i >= 0) queue.splice(i, 1)
        reject(new ParleyError(UNREACHABLE))
      }, QUEUE_TIMEOUT_MS)
    })
  }

  const subscribe = (listener: EventListener) => {
    listeners.add(listener)
    return () => {
      listeners.delete(listener)
    }
  }

  if (token) connect()
  else console.error(`parley: ${NO_TOKEN}`)
  return { call, subscribe }
}

const bridge = createBridge()
const api: ParleyApi = createApiClient(bridge.call, bridge.subscribe)
// Like contextBridge in Electron: the app sees a fixed, frozen API.
Object.defineProperty(window, 'parley', { value: api, writable: false, enumerable: true, configurable: false })

export {}
