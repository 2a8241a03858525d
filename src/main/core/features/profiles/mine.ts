import { z } from 'zod'
import type { Profile, ProfileUpdate } from '../../../../shared/contract'
import { AvatarSchema, MessageIdSchema } from '../../../../shared/protocol/envelope'
import { DisplayNameSchema, StatusLineSchema } from '../../../../shared/protocol/names'
import type { Prefs } from '../../kernel/prefs'
import { newMessageId } from '../../protocol/codec'
import type { ProfileFields } from './store'

const PREF = 'profiles.mine'

/**
 * My profile as last published: its fields plus the envelope's id and time, so
 * that publishing it again (on each connection) sends the very same profile, not
 * a newer-looking copy that could outrank an update from my other device.
 */
const MineSchema = z.object({
  id: MessageIdSchema,
  ts: z.number().int().nonnegative(),
  name: DisplayNameSchema.nullable(),
  status: StatusLineSchema.nullable(),
  avatar: AvatarSchema.nullable(),
  email: z.string().max(254).nullable(),
})
export type MineRecord = z.infer<typeof MineSchema>

/** My profile, kept in the account's prefs. */
export class MyProfile {
  private record: MineRecord | null

  constructor(private readonly prefs: Prefs) {
    this.record = prefs.get(PREF, MineSchema.nullable(), null)
  }

  /** Reads it again (the account changed). */
  reload(): void {
    this.record = this.prefs.get(PREF, MineSchema.nullable(), null)
  }

  get current(): MineRecord | null {
    return this.record
  }

  profile(user: string): Profile {
    const r = this.record
    if (!r) return { user, name: null, status: null, avatar: null, email: null, updatedAt: null }
    return { user, name: r.name, status: r.status, avatar: r.avatar, email: r.email, updatedAt: r.ts }
  }

  /** Applies changes (null clears a field, absent keeps it) as a new version, later than the one before. */
  change(changes: ProfileUpdate & { avatar?: string | null }): MineRecord {
    const before = this.record
    const pick = <K extends keyof ProfileFields>(k: K): ProfileFields[K] =>
      (changes[k] !== undefined ? changes[k] : (before?.[k] ?? null)) as ProfileFields[K]
    const next: MineRecord = {
      id: newMessageId(),
      // Strictly later than the last one, even if the clock went back: newest wins everywhere.
      ts: Math.max(Date.now(), (before?.ts ?? 0) + 1),
      name: pick('name'),
      status: pick('status'),
      avatar: pick('avatar'),
      email: pick('email'),
    }
    this.set(next)
    return next
  }

  /** Takes a newer version published by my other device. */
  set(record: MineRecord): void {
    this.record = record
    this.prefs.set(PREF, record)
  }
}
