/** Message requests: conversations started by people who are not contacts, held apart until accepted. */
import { defineFeature, type FeatureContext } from '../feature'
import { setupMessageRequests } from './io'
import RequestBanner from './RequestBanner.vue'
import RequestsEntry from './RequestsEntry.vue'

function setup(ctx: FeatureContext): void {
  setupMessageRequests(ctx)
  ctx.extensions.add('conversations.top', RequestsEntry)
  ctx.extensions.add('conversation.banner', RequestBanner)
}

export const messageRequests = defineFeature({ name: 'message-requests', dependsOn: ['conversations', 'blocking'], setup })

export { useMessageRequestsStore } from './store'
export { useMessageRequestsActions, MessageRequestsActionsKey, type MessageRequestsActions } from './io'
