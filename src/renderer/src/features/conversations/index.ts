/** Conversations: the list, opening one, its header; what was read. */
import { defineFeature } from '../feature'
import { setupConversations } from './io'

export const conversations = defineFeature({ name: 'conversations', dependsOn: ['account'], setup: setupConversations })

export { useConversationsStore } from './store'
export { useConversationsActions, ConversationsActionsKey, type ConversationsActions } from './io'
export { default as ConversationList } from './ConversationList.vue'
export { default as NewConversation } from './NewConversation.vue'
export { default as ChatHeader } from './ChatHeader.vue'
export { conversationTitle } from './title'
export { default as ConversationAvatar } from './ConversationAvatar.vue'
