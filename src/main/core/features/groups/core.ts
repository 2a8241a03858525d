import type { GroupSummary } from '../../../../shared/contract'
import { conversationId } from '../../../../shared/protocol/conversation-id'
import type { FeatureContext } from '../../kernel/feature'
import type { ConversationsApi } from '../conversations'
import { publishMeta } from './metadata'
import { toSummary, type GroupRow, type GroupStore, type StoredMembership } from './store'
import type { GroupSubscriptions } from './subscriptions'

/** What the parts of the groups feature share: the store, how a group shows, its conversation and subscription. */
export interface GroupsCore {
  readonly ctx: FeatureContext
  readonly store: GroupStore
  readonly conversations: ConversationsApi
  me(): string
  summary(row: GroupRow): GroupSummary
  /** Tells the UI a group changed; an invite not yet confirmed stays hidden. */
  emit(id: string): void
  conversationOf(id: string): string
  /** The group's conversation exists (in the inbox, titled with the group's name) once I am a member. */
  ensureConversation(row: GroupRow): void
  /** Moves the subscription of a group whose membership was `before`. */
  follow(id: string, before: StoredMembership | null): void
  /** Publishes the version I made (retained), if it has not reached the broker yet. */
  publishMeta(id: string): void
  drop(what: string, topic: string, reason: string): void
}

export function createCore(ctx: FeatureContext, store: GroupStore, conversations: ConversationsApi, subscriptions: GroupSubscriptions): GroupsCore {
  const me = (): string => ctx.requireAccount().user
  const summary = (row: GroupRow): GroupSummary => toSummary(row, me())
  const conversationOf = (id: string): string => conversationId('group', id)
  return {
    ctx,
    store,
    conversations,
    me,
    summary,
    emit(id) {
      const row = store.get(id)
      if (row && row.membership !== 'checking') ctx.events.emit('group', summary(row))
    },
    conversationOf,
    ensureConversation(row) {
      const cid = conversationOf(row.id)
      conversations.store.ensure(cid)
      conversations.store.setTitle(cid, row.name)
    },
    follow: (id, before) => subscriptions.follow(id, before),
    publishMeta: (id) => publishMeta(ctx, store, id),
    drop: (what, topic, reason) => ctx.log.warn(`dropped ${what}`, { topic, reason }),
  }
}
