/** The devices feature's I/O (the Devices settings): my devices, linking another one, renaming and removing. */
import { inject, type InjectionKey } from 'vue'
import type { LinkOffer } from '../../../../shared/contract'
import { errorMessage } from '../../ui/errors'
import type { FeatureContext } from '../feature'
import { useDevicesStore } from './store'

export interface DevicesActions {
  /** Reads the list again (the section does on opening); a failure is kept in the store for the section to show. */
  load(): Promise<void>
  offerLink(): Promise<LinkOffer>
  link(linkOrCode: string): Promise<void>
  rename(name: string): Promise<void>
  remove(deviceId: string): Promise<void>
}

export const DevicesActionsKey: InjectionKey<DevicesActions> = Symbol('parley-devices')

export function useDevicesActions(): DevicesActions {
  const actions = inject(DevicesActionsKey)
  if (!actions) throw new Error('The devices feature is not installed.')
  return actions
}

export function setupDevices(ctx: FeatureContext): void {
  const { api } = ctx
  const store = useDevicesStore(ctx.pinia)

  ctx.onStop(api.on('devices', store.set))

  ctx.provide(DevicesActionsKey, {
    async load() {
      try {
        store.set(await api.devices.list())
      } catch (err) {
        store.failed(errorMessage(err))
      }
    },
    offerLink: () => api.devices.offerLink(),
    async link(linkOrCode) {
      store.set(await api.devices.link(linkOrCode))
    },
    async rename(name) {
      store.set(await api.devices.rename(name))
    },
    async remove(deviceId) {
      store.set(await api.devices.remove(deviceId))
    },
  })
}
