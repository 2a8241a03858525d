/** Messages: a conversation's history, the composer, and the status of what I sent. */
import { defineFeature } from '../feature'
import { setupMessages } from './io'

export const messages = defineFeature({ name: 'messages', dependsOn: ['account', 'conversations'], setup: setupMessages })

export { useMessagesStore } from './store'
export { useMessagesActions, MessagesActionsKey, type MessagesActions } from './io'
export { default as ChatView } from './ChatView.vue'
