/**
 * The typed API over the web host's WebSocket (`/bridge`): each text frame a call
 * answered through `dispatchCall`, every core event pushed to every client; clients
 * that stop answering pings or stop reading are dropped. Who may connect is the
 * server's decision (server.ts); this takes the sockets it accepted.
 */
import type { IncomingMessage } from 'node:http'
import type { Duplex } from 'node:stream'
import { WebSocketServer, type RawData, type WebSocket } from 'ws'
import type { ParleyEventName, ParleyServices } from '../shared/contract'
import { dispatchCall, type CallResult } from '../shared/rpc'
import { logUnexpected, type Logger } from '../main/core/kernel/log'

/** What the host needs from a ParleyCore (tests pass a plain object). */
export interface HostedCore {
  readonly services: ParleyServices
  onEvent(listener: (event: ParleyEventName, payload: unknown) => void): () => void
}

/** Largest WebSocket frame the bridge accepts; bigger frames close the socket (1009). */
export const MAX_FRAME_BYTES = 1024 * 1024
/** Calls one socket may have running at once; more are answered with an error. */
const MAX_IN_FLIGHT = 256
/** A client that stops reading is dropped rather than buffered without bound. */
const MAX_BUFFERED_BYTES = 32 * 1024 * 1024
const PING_INTERVAL_MS = 30_000

export interface Bridge {
  /** Takes over an HTTP upgrade the server has let through. */
  accept(req: IncomingMessage, socket: Duplex, head: Buffer): void
  /** Says goodbye to every client (1001) and stops; `overdue` runs if some have not closed within 500 ms. */
  close(overdue?: () => void): Promise<void>
}

export function startBridge(core: HostedCore, log: Logger): Bridge {
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES, perMessageDeflate: false })
  const alive = new WeakMap<WebSocket, boolean>()

  wss.on('connection', (ws: WebSocket) => {
    alive.set(ws, true)
    let inFlight = 0
    log.debug('web host: bridge connected', { clients: wss.clients.size })
    ws.on('pong', () => alive.set(ws, true))
    ws.on('error', (err) => log.debug('web host: bridge socket error', { error: err.message }))
    ws.on('message', (data: RawData, isBinary: boolean) => {
      if (isBinary) return ws.close(1003, 'text frames only')
      let msg: unknown
      try {
        msg = JSON.parse(rawToString(data))
      } catch {
        return ws.close(1007, 'not JSON')
      }
      if (typeof msg !== 'object' || msg === null || Array.isArray(msg)) return ws.close(1007, 'not a call')
      const { id, call } = msg as { id?: unknown; call?: unknown }
      if (typeof id !== 'number' || !Number.isSafeInteger(id)) return ws.close(1007, 'a call needs a numeric id')
      const reply = (result: CallResult) => {
        if (ws.readyState !== ws.OPEN) return
        ws.send(JSON.stringify({ id, result }))
      }
      if (inFlight >= MAX_IN_FLIGHT) {
        return reply({ ok: false, error: { code: 'failed', message: 'Too many calls at once; try again.' } })
      }
      inFlight++
      // dispatchCall never rejects; unexpected errors reach the person as a code and the log in full.
      void dispatchCall(core.services, call, logUnexpected(log))
        .then(reply)
        .finally(() => inFlight--)
    })
  })

  const pinger = setInterval(() => {
    for (const ws of wss.clients) {
      if (alive.get(ws) === false) {
        ws.terminate()
        continue
      }
      alive.set(ws, false)
      ws.ping()
    }
  }, PING_INTERVAL_MS)
  pinger.unref()

  const unsubscribe = core.onEvent((event, payload) => {
    if (wss.clients.size === 0) return
    let frame: string
    try {
      frame = JSON.stringify({ event, payload })
    } catch (err) {
      log.warn('web host: could not serialise an event', { event, error: err instanceof Error ? err.message : String(err) })
      return
    }
    for (const ws of wss.clients) {
      if (ws.readyState !== ws.OPEN) continue
      if (ws.bufferedAmount > MAX_BUFFERED_BYTES) {
        log.warn('web host: dropping a client that stopped reading')
        ws.terminate()
        continue
      }
      ws.send(frame)
    }
  })

  return {
    accept(req, socket, head) {
      wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req))
    },
    async close(overdue) {
      unsubscribe()
      clearInterval(pinger)
      for (const ws of wss.clients) ws.close(1001, 'host shutting down')
      // Give browsers a moment to answer the close handshake, then cut what is left.
      const timer = setTimeout(() => {
        for (const ws of wss.clients) ws.terminate()
        overdue?.()
      }, 500)
      await new Promise<void>((ok) => wss.close(() => ok()))
      clearTimeout(timer)
    },
  }
}

function rawToString(data: RawData): string {
  if (Buffer.isBuffer(data)) return data.toString('utf8')
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8')
  return Buffer.from(data).toString('utf8')
}
