import { Notification } from 'electron'
import type { ChatMessage, ParleyEventName } from '../shared/contract'

export const NOTIFICATION_BODY_MAX = 120

export interface IncomingNotice {
  id: string
  title: string
  body: string
}

/** The notice for a 'message' event, or null when it is not a new incoming message. */
export function incomingNotice(payload: unknown): IncomingNotice | null {
  if (typeof payload !== 'object' || payload === null) return null
  const m = payload as Partial<ChatMessage>
  if (m.direction !== 'in' || typeof m.id !== 'string' || typeof m.sender !== 'string' || typeof m.text !== 'string') return null
  const chars = Array.from(m.text)
  const body = chars.length > NOTIFICATION_BODY_MAX ? chars.slice(0, NOTIFICATION_BODY_MAX).join('') + '…' : m.text
  return { id: m.id, title: m.sender, body }
}

export interface NotifierOptions {
  /** True when the person is looking at the Parley window (no notice then). */
  isWindowFocused(): boolean
  showWindow(): void
  iconPath?: string
}

/**
 * Shows a system notification for each incoming message while the window is not
 * focused; clicking it brings the window up. Returns the event listener to hand to
 * core.onEvent.
 */
export function createMessageNotifier(opts: NotifierOptions): (event: ParleyEventName, payload: unknown) => void {
  const seen = new Set<string>()
  // Electron drops click handlers of notifications that were garbage-collected: keep them.
  const live = new Set<Notification>()
  return (event, payload) => {
    if (event !== 'message') return
    const notice = incomingNotice(payload)
    if (!notice || seen.has(notice.id)) return
    seen.add(notice.id)
    if (seen.size > 500) seen.delete(seen.values().next().value!)
    if (opts.isWindowFocused() || !Notification.isSupported()) return
    const n = new Notification({ title: notice.title, body: notice.body, silent: false, ...(opts.iconPath ? { icon: opts.iconPath } : {}) })
    live.add(n)
    n.on('click', () => {
      live.delete(n)
      opts.showWindow()
    })
    n.on('close', () => live.delete(n))
    n.show()
  }
}
