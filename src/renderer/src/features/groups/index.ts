/**
 * Groups: "New group", invites above the conversation list, the group chat's status
 * line ("3 members, 2 online"), its details (members with presence, admin actions),
 * senders' names above their messages, @mention completion and highlight, and
 * receipt counts on my messages.
 */
import { defineFeature, type FeatureContext } from '../feature'
import GroupBanner from './GroupBanner.vue'
import GroupDetails from './GroupDetails.vue'
import GroupDetailsButton from './GroupDetailsButton.vue'
import GroupInvites from './GroupInvites.vue'
import { setupGroups } from './io'
import MentionBadge from './MentionBadge.vue'
import NewGroupButton from './NewGroupButton.vue'
import NewGroupDialog from './NewGroupDialog.vue'
import SenderName from './SenderName.vue'
import { addGroupTexts } from './texts'

function setup(ctx: FeatureContext): void {
  setupGroups(ctx)
  addGroupTexts(ctx)

  ctx.extensions.add('sidebar.actions', NewGroupButton)
  ctx.extensions.add('app.overlay', NewGroupDialog)
  ctx.extensions.add('app.overlay', GroupDetails)
  ctx.extensions.add('conversations.top', GroupInvites)
  ctx.extensions.add('conversation.actions', GroupDetailsButton)
  ctx.extensions.add('conversation.banner', GroupBanner)
  ctx.extensions.add('message.header', SenderName)
  ctx.extensions.add('conversation.avatar', MentionBadge)
}

export const groups = defineFeature({ name: 'groups', dependsOn: ['account', 'conversations', 'presence', 'profiles', 'contacts'], setup })

export { useGroupsStore } from './store'
export { useGroupsActions, GroupsActionsKey, type GroupsActions } from './io'
