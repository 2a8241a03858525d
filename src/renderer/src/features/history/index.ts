/**
 * Export and import of the history: "Export chat…" in a conversation's header,
 * Settings › History ("Export all…", "Import…"), and one dialog that chooses the
 * format or the file, shows a progress bar with Cancel, and says what came of it
 * ("Saved to PATH", "Imported N messages, M already here").
 */
import { defineFeature, type FeatureContext } from '../feature'
import ExportChatButton from './ExportChatButton.vue'
import HistoryDialog from './HistoryDialog.vue'
import HistorySection from './HistorySection.vue'
import { setupHistory } from './io'

function setup(ctx: FeatureContext): void {
  setupHistory(ctx)
  ctx.extensions.add('conversation.actions', ExportChatButton)
  ctx.extensions.add('settings.section', { id: 'history', title: 'History', order: 70, component: HistorySection })
  ctx.extensions.add('app.overlay', HistoryDialog)
}

export const history = defineFeature({ name: 'history', dependsOn: ['conversations'], setup })

export { useHistoryStore } from './store'
export { useHistoryActions, HistoryActionsKey, type HistoryActions } from './io'
