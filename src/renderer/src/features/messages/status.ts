import type { MessageStatus } from '../../../../shared/contract'

/**
 * How far a message has come. A status only ever moves up: an answer or a page
 * that raced an event must not turn a delivered message back into "sent". Pending
 * and failed share a rank, so a failed message can go back to pending (retry) and
 * a pending one can fail.
 */
const RANK: Record<MessageStatus, number> = {
  pending: 0,
  failed: 0,
  sent: 1,
  delivered: 2,
  read: 3,
  received: 0,
  seen: 1,
}

/** The status to keep when `next` arrives for a message that is `current`. */
export function laterStatus(current: MessageStatus, next: MessageStatus): MessageStatus {
  return RANK[next] >= RANK[current] ? next : current
}

export interface StatusMark {
  label: string
  icon: 'clock' | 'check' | 'check-double' | 'alert'
}

/** The mark on an outgoing bubble and its words (tooltip and accessible label). */
export function statusMark(status: MessageStatus): StatusMark | null {
  switch (status) {
    case 'pending':
      return { label: 'Sending…', icon: 'clock' }
    case 'sent':
      return { label: 'Sent', icon: 'check' }
    case 'delivered':
      return { label: 'Delivered', icon: 'check-double' }
    case 'read':
      return { label: 'Read', icon: 'check-double' }
    case 'failed':
      return { label: 'Not sent', icon: 'alert' }
    default:
      return null
  }
}
