/**
 * Regional broadcasts: Settings › Regional broadcasts (which regions to follow);
 * each region's conversation (`system:{region}`) names the publisher and region
 * above their broadcasts, and is read-only — the chat says so where the composer
 * would be — unless this account is flagged admin.
 */
import { defineFeature, type FeatureContext } from '../feature'
import BroadcastSender from './BroadcastSender.vue'
import RegionsSection from './RegionsSection.vue'
import { setupBroadcasts } from './io'

function setup(ctx: FeatureContext): void {
  setupBroadcasts(ctx)
  ctx.extensions.add('settings.section', { id: 'broadcasts', title: 'Regional broadcasts', order: 45, component: RegionsSection })
  ctx.extensions.add('message.header', BroadcastSender)
}

export const broadcasts = defineFeature({ name: 'broadcasts', dependsOn: ['account'], setup })

export { useBroadcastsStore } from './store'
export { useBroadcastsActions, BroadcastsActionsKey, type BroadcastsActions } from './io'
