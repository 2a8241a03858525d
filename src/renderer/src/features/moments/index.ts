/** Moments: a feed of short posts from the people I follow, my own posts to my followers, and whom I follow. */
import { defineFeature, type FeatureContext } from '../feature'
import { setupMoments } from './io'
import MomentsPanel from './MomentsPanel.vue'
import { useMomentsStore } from './store'

function setup(ctx: FeatureContext): void {
  setupMoments(ctx)
  const store = useMomentsStore(ctx.pinia)
  ctx.extensions.add('sidebar.panel', {
    id: 'moments',
    label: 'Moments',
    order: 20,
    badge: () => (store.unseen > 0 ? store.unseen : null),
    component: MomentsPanel,
  })
}

export const moments = defineFeature({ name: 'moments', dependsOn: ['account', 'conversations'], setup })

export { useMomentsStore } from './store'
export { useMomentsActions, MomentsActionsKey, type MomentsActions } from './io'
