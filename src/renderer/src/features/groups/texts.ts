/**
 * What groups tell the shared screens in words (no components, so unit tests load it):
 * the header's member line, a group's photo, mention highlights, receipt counts and
 * @mention completions.
 */
import { useAccountStore } from '../account'
import type { FeatureContext } from '../feature'
import { PresenceActionsKey, usePresenceStore } from '../presence'
import { safeAvatar } from '../profiles'
import { isOnline, matching, memberLine, mentionQuery, mentions, receiptLine } from './format'
import { GroupsActionsKey } from './io'
import { useGroupsStore } from './store'

export function addGroupTexts(ctx: FeatureContext): void {
  const store = useGroupsStore(ctx.pinia)
  const account = useAccountStore(ctx.pinia)
  const presence = usePresenceStore(ctx.pinia)
  const presenceActions = ctx.inject(PresenceActionsKey)
  const actions = ctx.inject(GroupsActionsKey)
  const groupOf = (conversationId: string) => (conversationId.startsWith('group:') ? store.byConversation[conversationId] : undefined)
  const nameOf = (user: string) => ctx.extensions.text('person.name', { user }) ?? user

  // Below typing ("Alice is typing…"), which says more while it lasts.
  ctx.extensions.add('conversation.status', {
    priority: 10,
    text: ({ conversation }) => {
      const group = groupOf(conversation.id)
      if (!group) return null
      const me = account.user
      return memberLine(group.members, (user) => {
        if (user === me) return true
        presenceActions.watch(user)
        return isOnline(presence.byUser[user]?.state)
      })
    },
  })
  ctx.extensions.add('conversation.muted', {
    priority: 10,
    text: ({ conversation }) => (groupOf(conversation.id)?.muted ? 'Muted' : null),
  })
  ctx.extensions.add('conversation.image', {
    priority: 10,
    text: ({ conversation }) => safeAvatar(groupOf(conversation.id)?.avatar),
  })
  ctx.extensions.add('message.highlight', {
    priority: 10,
    text: ({ message }) =>
      message.direction === 'in' && account.user && groupOf(message.conversationId) && mentions(message.text, account.user) ? 'Mentions you' : null,
  })
  ctx.extensions.add('message.details', {
    priority: 10,
    text: ({ message }) => {
      if (message.direction !== 'out' || !groupOf(message.conversationId) || message.status === 'pending' || message.status === 'failed') return null
      const counts = store.receipts[message.id]
      if (!counts) {
        actions.watchReceipts(message.id)
        return null
      }
      return receiptLine(counts)
    },
  })
  ctx.extensions.add('composer.suggest', (conversationId, before) => {
    const group = groupOf(conversationId)
    const typed = group ? mentionQuery(before) : null
    if (!group || !typed) return null
    const people = group.members.filter((m) => m.state === 'member' && m.user !== account.user).map((m) => ({ user: m.user, name: nameOf(m.user) }))
    const items = matching(people, typed.query).map((p) => ({ key: p.user, label: p.name, hint: `@${p.user}`, insert: `@${p.user} ` }))
    return items.length ? { start: typed.start, items } : null
  })
}
