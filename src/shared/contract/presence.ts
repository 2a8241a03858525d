import { z } from 'zod'
import { NameSchema } from '../protocol/names'
import { defineContract } from './define'

/** What a person shows: their choice (away, do not disturb) or, left on auto, online/away by idleness. */
export type PresenceState = 'online' | 'away' | 'dnd' | 'offline'

export interface Presence {
  user: string
  state: PresenceState
  /** ms since epoch: when a device of theirs was last online (null: never seen). */
  lastSeen: number | null
}

/** What this person chose: 'auto' is online, or away after a while without input. */
export type PresenceMode = 'auto' | 'away' | 'dnd'
export const PresenceModeSchema = z.enum(['auto', 'away', 'dnd'])

export interface MyPresence {
  mode: PresenceMode
  idle: boolean
  /** What others see now ('offline' while I appear offline). */
  state: PresenceState
}

/** Away after this many minutes without input, unless chosen otherwise. */
export const DEFAULT_AWAY_AFTER_MINUTES = 5

export interface PresenceSettings {
  /** Minutes without keyboard, mouse or focus before 'auto' shows me away (1–120). */
  awayAfterMinutes: number
  /** Others see this device offline (with the "last seen" of when I chose it) while it stays connected. */
  appearOffline: boolean
}

export const AwayAfterMinutesSchema = z.number().int().min(1).max(120)
export const PresenceSettingsPatchSchema = z.strictObject({
  awayAfterMinutes: AwayAfterMinutesSchema.optional(),
  appearOffline: z.boolean().optional(),
})

export interface PresenceService {
  /** The last known presence of `user` (offline with lastSeen null when never seen). */
  get(user: string): Promise<Presence>
  mine(): Promise<MyPresence>
  setMode(mode: PresenceMode): Promise<MyPresence>
  /** The UI (or the desktop shell) says the person has been idle, or is back. */
  reportIdle(idle: boolean): Promise<void>
  settings(): Promise<PresenceSettings>
  /** Changes the given settings (the others stay); appearing offline or back is published at once. */
  setSettings(patch: Partial<PresenceSettings>): Promise<PresenceSettings>
}

export interface PresenceEvents {
  presence: Presence
}

export const presenceContract = defineContract<PresenceService, PresenceEvents>()({
  methods: {
    get: z.tuple([NameSchema]),
    mine: z.tuple([]),
    setMode: z.tuple([PresenceModeSchema]),
    reportIdle: z.tuple([z.boolean()]),
    settings: z.tuple([]),
    setSettings: z.tuple([PresenceSettingsPatchSchema]),
  },
  events: ['presence'],
})
