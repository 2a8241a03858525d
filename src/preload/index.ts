/**
 * The Electron preload (sandboxed, context-isolated): exposes exactly one value,
 * `window.parley`, a ParleyApi built from the shared contract over two IPC channels.
 * No ipcRenderer, no Node, nothing else reaches the page.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron'
import { createApiClient, isEventName, type CallResult, type EventListener } from '../shared/rpc'

// Same strings as CALL_CHANNEL / EVENT_CHANNEL in src/main/ipc.ts (the preload may not import main).
const CALL_CHANNEL = 'parley:call'
const EVENT_CHANNEL = 'parley:event'

const api = createApiClient(
  (request) => ipcRenderer.invoke(CALL_CHANNEL, request) as Promise<CallResult>,
  (listener: EventListener) => {
    const handler = (_event: IpcRendererEvent, name: unknown, payload: unknown) => {
      if (isEventName(name)) listener(name, payload)
    }
    ipcRenderer.on(EVENT_CHANNEL, handler)
    return () => {
      ipcRenderer.removeListener(EVENT_CHANNEL, handler)
    }
  },
  // contextBridge copies only an Error's message into the page; a plain object keeps the code too.
  (error) => ({ name: 'ParleyError', code: error.code, message: error.message }),
)

contextBridge.exposeInMainWorld('parley', api)
