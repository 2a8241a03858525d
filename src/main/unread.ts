/** Unread counts per conversation, summed for the tray tooltip. */
export class UnreadTally {
  private readonly counts = new Map<string, number>()

  /** Records a conversation's current unread count; returns the new total. */
  set(conversationId: string, unread: number): number {
    if (unread > 0) this.counts.set(conversationId, unread)
    else this.counts.delete(conversationId)
    return this.total
  }

  get total(): number {
    let sum = 0
    for (const n of this.counts.values()) sum += n
    return sum
  }
}

export function trayTooltip(unread: number): string {
  if (unread <= 0) return 'Parley'
  return `Parley — ${unread} unread`
}

/**
 * Reads {id, unread} from a 'conversation' event payload, or null if it has no such
 * shape. Message requests count as nothing: strangers get a quiet count in the app,
 * not the tray's attention.
 */
export function conversationUnread(payload: unknown): { id: string; unread: number } | null {
  if (typeof payload !== 'object' || payload === null) return null
  const { id, unread, folder } = payload as { id?: unknown; unread?: unknown; folder?: unknown }
  if (typeof id !== 'string' || typeof unread !== 'number' || !Number.isFinite(unread)) return null
  return { id, unread: folder === 'requests' ? 0 : Math.max(0, Math.floor(unread)) }
}
