/**
 * Settings: the screen (Ctrl/Cmd+, or the gear in the sidebar), a list of sections
 * on the left and the chosen one on the right. Features add sections through the
 * `settings.section` extension point; the screen draws each section's title, the
 * section draws its content. Sections may use the screen's shared classes
 * (sections.css: `settings-group`, `settings-row`, `row-text`, `row-label`,
 * `settings-hint`, `settings-actions`, `settings-result`), ui/SettingsSwitch.vue for
 * a switch that applies at once and the app's `button danger` / `danger-solid`.
 * This feature adds the Privacy section itself, and answers the account's "Change
 * broker" (from the connection notice) by opening the Broker section.
 */
import { defineFeature, type FeatureContext } from '../feature'
import { setupSettings } from './io'
import PrivacySection from './PrivacySection.vue'
import SettingsButton from './SettingsButton.vue'
import SettingsScreen from './SettingsScreen.vue'

function setup(ctx: FeatureContext): void {
  setupSettings(ctx)
  ctx.extensions.add('sidebar.actions', SettingsButton)
  ctx.extensions.add('app.overlay', SettingsScreen)
  ctx.extensions.add('settings.section', { id: 'privacy', title: 'Privacy', order: 30, component: PrivacySection })
}

export const settings = defineFeature({ name: 'settings', dependsOn: ['account'], setup })

export { useSettingsNav, SettingsNavKey, isSettingsShortcut, type SettingsNav } from './io'
export { useSettingsStore } from './store'
