import type { IpcMainInvokeEvent } from 'electron'
import type { ParleyEventName, ParleyServices } from '../shared/contract'
import { dispatchCall, type CallResult, type UnexpectedErrorSink } from '../shared/rpc'

/** The two channels between main and preload (the preload spells the same strings). */
export const CALL_CHANNEL = 'parley:call'
export const EVENT_CHANNEL = 'parley:event'

/** What the IPC wiring needs from the engine. */
export interface CoreLike {
  readonly services: ParleyServices
  onEvent(listener: (event: ParleyEventName, payload: unknown) => void): () => void
}

interface FrameLike {
  readonly url: string
  readonly parent: FrameLike | null
  readonly processId: number
  readonly routingId: number
}

/** The parts of a BrowserWindow the wiring touches (a real BrowserWindow fits). */
export interface WindowLike {
  isDestroyed(): boolean
  readonly webContents: {
    readonly id: number
    isDestroyed(): boolean
    readonly mainFrame: FrameLike
    send(channel: string, ...args: unknown[]): void
  }
}

export interface IpcMainLike {
  handle(channel: string, listener: (event: IpcMainInvokeEvent, ...args: unknown[]) => unknown): void
  removeHandler(channel: string): void
}

type SenderEvent = Pick<IpcMainInvokeEvent, 'senderFrame'> & { sender: { readonly id: number } }

const REFUSED: CallResult = { ok: false, error: { code: 'failed', message: 'Call refused: it did not come from the Parley window.' } }

/**
 * A call is served only when it comes from the main frame of our window and that frame
 * shows our renderer page. Anything else (another window, an iframe, a page the window
 * was somehow navigated to) is refused before it reaches a service.
 */
export function isTrustedSender(event: SenderEvent, win: WindowLike | null, isTrustedUrl: (url: string) => boolean): boolean {
  if (!win || win.isDestroyed() || win.webContents.isDestroyed()) return false
  if (event.sender.id !== win.webContents.id) return false
  const frame = event.senderFrame as FrameLike | null
  if (!frame || frame.parent !== null) return false
  const main = win.webContents.mainFrame
  const isMainFrame = frame === main || (frame.processId === main.processId && frame.routingId === main.routingId)
  return isMainFrame && isTrustedUrl(frame.url)
}

/**
 * Serves ParleyServices on one invoke channel and forwards engine events to the window.
 * Returns a function that undoes both.
 */
export function wireIpc(
  ipcMain: IpcMainLike,
  core: CoreLike,
  getWindow: () => WindowLike | null,
  isTrustedUrl: (url: string) => boolean,
  onRefused?: (detail: { url: string | null }) => void,
  onUnexpected?: UnexpectedErrorSink,
): () => void {
  ipcMain.handle(CALL_CHANNEL, async (event, request) => {
    if (!isTrustedSender(event, getWindow(), isTrustedUrl)) {
      onRefused?.({ url: event.senderFrame?.url ?? null })
      return REFUSED
    }
    return dispatchCall(core.services, request, onUnexpected)
  })
  const unsubscribe = core.onEvent((name, payload) => {
    const win = getWindow()
    if (!win || win.isDestroyed() || win.webContents.isDestroyed()) return
    win.webContents.send(EVENT_CHANNEL, name, payload)
  })
  return () => {
    ipcMain.removeHandler(CALL_CHANNEL)
    unsubscribe()
  }
}
