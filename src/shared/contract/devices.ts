import { z } from 'zod'
import { NameSchema, shownTextSchema } from '../protocol/names'
import { defineContract } from './define'
import type { PresenceState } from './presence'

/**
 * A device's part in the account's device sync: 'linked' (holds the account's
 * device key: shares sent messages, contacts, blocks and read state), 'unlinked'
 * (signed in as me, seen through its presence, but not linked), 'removed' (only for
 * this device: another device of mine removed it, so it stopped syncing).
 */
export type DeviceSync = 'linked' | 'unlinked' | 'removed'

/** One device (installation) of my account. */
export interface Device {
  id: string
  /** What the person called it ("Work laptop"); defaults to the host name. */
  name: string
  /** This device. */
  current: boolean
  state: PresenceState
  /** ms since epoch, null: never seen. */
  lastSeen: number | null
  sync: DeviceSync
}

export interface LinkOffer {
  /** `parley://link?...`: paste it into the other device's set-up, or `parley link`. */
  link: string
  /** The same, short enough to type: groups of letters and digits. */
  code: string
}

/** What a device may be called: shown to the person on their other devices. */
export const DeviceNameSchema = shownTextSchema('A device name', 64)

export const LinkInputSchema = z.string().trim().min(8).max(2000)

export interface DevicesService {
  /** My devices: this one first, then by last seen. */
  list(): Promise<Device[]>
  /** What another device of mine needs to join this account's device sync. */
  offerLink(): Promise<LinkOffer>
  /** Joins the device sync of the account that showed this link or code (set up as that user first). */
  link(linkOrCode: string): Promise<Device[]>
  rename(name: string): Promise<Device[]>
  /** Tells that device it is signed out of the account's sync, and forgets it. */
  remove(deviceId: string): Promise<Device[]>
}

export interface DevicesEvents {
  devices: Device[]
}

export const devicesContract = defineContract<DevicesService, DevicesEvents>()({
  methods: {
    list: z.tuple([]),
    offerLink: z.tuple([]),
    link: z.tuple([LinkInputSchema]),
    rename: z.tuple([z.string().trim().min(1).max(64)]),
    remove: z.tuple([NameSchema]),
  },
  events: ['devices'],
})
