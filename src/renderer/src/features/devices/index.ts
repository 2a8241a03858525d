/** Devices: the Devices section of the settings (my devices, linking another one, renaming, removing). */
import { defineFeature, type FeatureContext } from '../feature'
import DevicesSection from './DevicesSection.vue'
import { setupDevices } from './io'

function setup(ctx: FeatureContext): void {
  setupDevices(ctx)
  ctx.extensions.add('settings.section', { id: 'devices', title: 'Devices', order: 60, component: DevicesSection })
}

export const devices = defineFeature({ name: 'devices', dependsOn: ['presence'], setup })

export { useDevicesStore } from './store'
export { useDevicesActions, DevicesActionsKey, type DevicesActions } from './io'
