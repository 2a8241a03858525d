/** Presence: a dot on people's avatars, "online" / "last seen …" in the chat header, my own status and idleness. */
import { defineFeature, type FeatureContext } from '../feature'
import { setupPresence } from './io'
import PresenceControl from './PresenceControl.vue'
import PresenceDot from './PresenceDot.vue'

function setup(ctx: FeatureContext): void {
  setupPresence(ctx)
  ctx.extensions.add('conversation.avatar', PresenceDot)
  ctx.extensions.add('sidebar.me', PresenceControl)
}

export const presence = defineFeature({ name: 'presence', dependsOn: ['account'], setup })

export { usePresenceStore } from './store'
export { usePresenceActions, PresenceActionsKey, type PresenceActions } from './io'
export { presenceLine, formatLastSeen } from './format'
