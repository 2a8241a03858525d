/** Search: Ctrl/Cmd+F in a conversation, Ctrl/Cmd+Shift+F across all; results open the message in context. */
import { defineFeature, type FeatureContext } from '../feature'
import ConversationSearchButton from './ConversationSearchButton.vue'
import { setupSearch } from './io'
import SearchButton from './SearchButton.vue'
import SearchOverlay from './SearchOverlay.vue'

function setup(ctx: FeatureContext): void {
  setupSearch(ctx)
  ctx.extensions.add('sidebar.actions', SearchButton)
  ctx.extensions.add('conversation.actions', ConversationSearchButton)
  ctx.extensions.add('app.overlay', SearchOverlay)
}

export const search = defineFeature({ name: 'search', dependsOn: ['conversations', 'messages'], setup })

export { useSearchActions, SearchActionsKey, type SearchActions } from './io'
export { useSearchStore } from './store'
