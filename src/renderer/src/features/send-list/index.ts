/** Send to a list: "Send to several people" in the sidebar header opens a dialog; one message per person, each in their 1:1 chat. */
import { defineFeature, type FeatureContext } from '../feature'
import SendListButton from './SendListButton.vue'
import SendListDialog from './SendListDialog.vue'
import { setupSendList } from './io'

function setup(ctx: FeatureContext): void {
  setupSendList(ctx)
  ctx.extensions.add('sidebar.actions', SendListButton)
  ctx.extensions.add('app.overlay', SendListDialog)
}

export const sendList = defineFeature({ name: 'send-list', dependsOn: ['conversations', 'contacts'], setup })
