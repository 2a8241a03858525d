/** Blocking: "Block…" (silently or telling them), a banner in a blocked person's chat, Settings › Blocked people. */
import { defineFeature, type FeatureContext } from '../feature'
import BlockDialog from './BlockDialog.vue'
import BlockedBanner from './BlockedBanner.vue'
import BlockedSection from './BlockedSection.vue'
import { setupBlocking } from './io'

function setup(ctx: FeatureContext): void {
  setupBlocking(ctx)
  ctx.extensions.add('app.overlay', BlockDialog)
  ctx.extensions.add('conversation.banner', BlockedBanner)
  ctx.extensions.add('settings.section', { id: 'blocked', title: 'Blocked people', order: 40, component: BlockedSection })
}

export const blocking = defineFeature({ name: 'blocking', dependsOn: ['account', 'conversations'], setup })

export { useBlockingStore } from './store'
export { useBlockingActions, BlockingActionsKey, type BlockingActions } from './io'
