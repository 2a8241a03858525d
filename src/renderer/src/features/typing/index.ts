/** Typing: "typing…" in the chat header and the conversation row, and my own typing notices. */
import { defineFeature } from '../feature'
import { setupTyping } from './io'

export const typing = defineFeature({ name: 'typing', dependsOn: ['account'], setup: setupTyping })

export { useTypingStore, TYPING_EXPIRES_MS } from './store'
