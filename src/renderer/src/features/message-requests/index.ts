/** Message requests: conversations started by people who are not contacts, held apart until accepted. */
import { defineFeature, type FeatureContext } from '../feature'
import { setupMessageRequests } from './io'
import RequestBanner from './RequestBanner.vue'
import RequestsEntry from './RequestsEntry.vue'
import RequestsView from './RequestsView.vue'

function setup(ctx: FeatureContext): void {
  setupMessageRequests(ctx)
  ctx.extensions.add('conversations.top', RequestsEntry)
  // No tab of its own: the entry above the conversation list opens it.
  ctx.extensions.add('sidebar.panel', { id: 'message-requests', label: 'Message requests', order: 100, hidden: true, component: RequestsView })
  ctx.extensions.add('conversation.banner', RequestBanner)
}

export const messageRequests = defineFeature({ name: 'message-requests', dependsOn: ['conversations', 'blocking'], setup })

export { useMessageRequestsActions, MessageRequestsActionsKey, type MessageRequestsActions } from './io'
