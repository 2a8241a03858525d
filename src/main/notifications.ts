import { Notification } from 'electron'
import type { ChatMessage, ParleyEventName } from '../shared/contract'

export const NOTIFICATION_BODY_MAX = 120

export interface IncomingNotice {
  id: string
  conversationId: string
  title: string
  body: string
}

/**
 * The notice for a 'message' event, or null when it is not a new incoming message
 * or comes from an open room: a room is a topic anyone (a sensor, a script) may fill,
 * read when the person looks, not announced message by message.
 */
export function incomingNotice(payload: unknown): IncomingNotice | null {
  if (typeof payload !== 'object' || payload === null) return null
  const m = payload as Partial<ChatMessage>
  if (m.direction !== 'in' || typeof m.id !== 'string' || typeof m.conversationId !== 'string' || typeof m.sender !== 'string' || typeof m.text !== 'string') return null
  if (m.conversationId.startsWith('room:')) return null
  const chars = Array.from(m.text)
  const body = chars.length > NOTIFICATION_BODY_MAX ? chars.slice(0, NOTIFICATION_BODY_MAX).join('') + '…' : m.text
  return { id: m.id, conversationId: m.conversationId, title: m.sender, body }
}

export interface NotifierOptions {
  /** True when the person is looking at the Parley window (no notice then). */
  isWindowFocused(): boolean
  showWindow(): void
  iconPath?: string
}

/** Most notices held at once while their conversation's folder is not known yet. */
const MAX_HELD = 100

/**
 * Shows a system notification for each incoming message while the window is not
 * focused; clicking it brings the window up. A message request (a conversation in
 * the 'requests' folder) gets none: its notice waits for the conversation's event,
 * which follows every message's, and is shown only if the conversation is not a
 * request. A muted group gets none either, except for a message that @mentions me
 * (the engine's 'groupMention' event). Returns the event listener to hand to
 * core.onEvent; feed it the groups' summaries at start ('group' events) so it knows
 * which are muted.
 */
export function createMessageNotifier(opts: NotifierOptions): (event: ParleyEventName, payload: unknown) => void {
  const seen = new Set<string>()
  /** Ids already shown: a mention's notice and the message's own are one. */
  const shown = new Set<string>()
  /** Conversations of muted groups. */
  const muted = new Set<string>()
  /** Notices by conversation, until its 'conversation' event says which folder it is in. */
  const held = new Map<string, IncomingNotice[]>()
  let heldCount = 0
  // Electron drops click handlers of notifications that were garbage-collected: keep them.
  const live = new Set<Notification>()
  const show = (notice: IncomingNotice): void => {
    if (shown.has(notice.id)) return
    shown.add(notice.id)
    if (shown.size > 500) shown.delete(shown.values().next().value!)
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
  return (event, payload) => {
    const p = (typeof payload === 'object' && payload !== null ? payload : {}) as Record<string, unknown>
    if (event === 'group') {
      if (typeof p.conversationId === 'string') {
        if (p.muted === true) muted.add(p.conversationId)
        else muted.delete(p.conversationId)
      }
      return
    }
    if (event === 'groupMention') {
      if (typeof p.messageId === 'string' && typeof p.conversationId === 'string' && typeof p.from === 'string' && typeof p.text === 'string') {
        const body = incomingNotice({ id: p.messageId, conversationId: p.conversationId, sender: p.from, text: p.text, direction: 'in' })?.body ?? ''
        show({ id: p.messageId, conversationId: p.conversationId, title: p.from, body })
      }
      return
    }
    if (event === 'conversation') {
      const c = (typeof payload === 'object' && payload !== null ? payload : {}) as { id?: unknown; folder?: unknown }
      const notices = typeof c.id === 'string' ? held.get(c.id) : undefined
      if (!notices) return
      held.delete(c.id as string)
      heldCount -= notices.length
      if (c.folder !== 'requests' && !muted.has(c.id as string)) notices.forEach(show)
      return
    }
    if (event !== 'message') return
    const notice = incomingNotice(payload)
    if (!notice || seen.has(notice.id)) return
    seen.add(notice.id)
    if (seen.size > 500) seen.delete(seen.values().next().value!)
    if (heldCount >= MAX_HELD) return
    const list = held.get(notice.conversationId)
    if (list) list.push(notice)
    else held.set(notice.conversationId, [notice])
    heldCount++
  }
}
