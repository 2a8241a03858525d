/** Search: Ctrl/Cmd+F in a conversation, Ctrl/Cmd+Shift+F across all (being built). */
import { defineFeature } from '../feature'

export const search = defineFeature({ name: 'search', dependsOn: ['conversations', 'messages'], setup() {} })
