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
  /** What others see now. */
  state: Exclude<PresenceState, 'offline'>
}

export interface PresenceService {
  /** The last known presence of `user` (offline with lastSeen null when never seen). */
  get(user: string): Promise<Presence>
  mine(): Promise<MyPresence>
  setMode(mode: PresenceMode): Promise<MyPresence>
  /** The UI (or the desktop shell) says the person has been idle, or is back. */
  reportIdle(idle: boolean): Promise<void>
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
  },
  events: ['presence'],
})
