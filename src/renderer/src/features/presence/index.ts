/** Presence: a dot on people's avatars, "online" / "last seen …" in the chat header, my own status and idleness, and its settings. */
import { defineFeature, type FeatureContext } from '../feature'
import { setupPresence } from './io'
import PresenceControl from './PresenceControl.vue'
import PresenceDot from './PresenceDot.vue'
import PresenceSection from './PresenceSection.vue'

function setup(ctx: FeatureContext): void {
  setupPresence(ctx)
  ctx.extensions.add('conversation.avatar', PresenceDot)
  ctx.extensions.add('sidebar.me', PresenceControl)
  ctx.extensions.add('settings.section', { id: 'presence', title: 'Presence', order: 35, component: PresenceSection })
}

export const presence = defineFeature({ name: 'presence', dependsOn: ['account'], setup })

export { usePresenceStore } from './store'
export { usePresenceActions, PresenceActionsKey, type PresenceActions } from './io'
export { presenceLine, formatLastSeen, STATE_LABEL } from './format'
