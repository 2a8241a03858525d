import { hostname } from 'node:os'
import { z } from 'zod'
import { DeviceNameSchema, type DeviceSync } from '../../../../shared/contract'
import { NameSchema } from '../../../../shared/protocol/names'
import type { Account } from '../../kernel/feature'
import type { Prefs } from '../../kernel/prefs'
import { KEY_BYTES, syncKey } from './key'

const LINK_PREF = 'devices.link'
const REMOVED_PREF = 'devices.removed'
const NAME_PREF = 'devices.name'

/** This device's link: whose account, the account device key (base64url), and when it joined. */
const LinkPrefSchema = z
  .object({ user: NameSchema, key: z.string().regex(/^[A-Za-z0-9_-]{22}$/), linkedAt: z.number().int().nonnegative() })
  .nullable()
/** Another device of mine removed this one: when (its clock) and which. */
const RemovedPrefSchema = z.object({ user: NameSchema, at: z.number().int().nonnegative(), by: z.string().max(128) }).nullable()

export interface Link {
  /** The AES-256-GCM key derived for this account. */
  key: Buffer
  /** The account device key itself (what a link or code carries). */
  accountKey: Buffer
  linkedAt: number
}

/**
 * Whether this device is in its account's device sync, kept in prefs (history.db):
 * the account device key while linked, the removal once another device removed it,
 * and the name it goes by. A link made under another user name counts for nothing.
 */
export class Membership {
  private derived: { pref: string; key: Buffer } | null = null

  constructor(private readonly prefs: Prefs) {}

  link(account: Account | null): Link | null {
    const pref = this.prefs.get(LINK_PREF, LinkPrefSchema, null)
    if (!account || !pref || pref.user !== account.user) return null
    const accountKey = Buffer.from(pref.key, 'base64url')
    if (accountKey.length !== KEY_BYTES) return null
    const tag = `${pref.user}:${pref.key}`
    if (this.derived?.pref !== tag) this.derived = { pref: tag, key: syncKey(accountKey, pref.user) }
    return { key: this.derived.key, accountKey, linkedAt: pref.linkedAt }
  }

  state(account: Account): DeviceSync {
    if (this.link(account)) return 'linked'
    const removed = this.prefs.get(REMOVED_PREF, RemovedPrefSchema, null)
    return removed?.user === account.user ? 'removed' : 'unlinked'
  }

  /** Joins (or switches to) the sync of `accountKey`; returns when. */
  join(account: Account, accountKey: Buffer): number {
    const linkedAt = Date.now()
    this.prefs.set(LINK_PREF, { user: account.user, key: accountKey.toString('base64url'), linkedAt })
    this.prefs.set(REMOVED_PREF, null)
    return linkedAt
  }

  /** Forgets the key; `by`: the device that removed this one (itself, when it left on its own: then it is just unlinked). */
  leave(account: Account, by: string, at: number): void {
    this.prefs.set(LINK_PREF, null)
    this.prefs.set(REMOVED_PREF, by === account.deviceId ? null : { user: account.user, at, by })
    this.derived = null
  }

  /** Forgets any link and removal (signed out: this computer may not be the person's any more); true when there was a link. */
  forget(): boolean {
    const had = this.prefs.get(LINK_PREF, LinkPrefSchema, null) !== null
    if (had) this.prefs.set(LINK_PREF, null)
    if (this.prefs.get(REMOVED_PREF, RemovedPrefSchema, null) !== null) this.prefs.set(REMOVED_PREF, null)
    this.derived = null
    return had
  }

  name(): string {
    const chosen = this.prefs.get(NAME_PREF, DeviceNameSchema.nullable(), null)
    if (chosen) return chosen
    const host = hostname().slice(0, 64)
    return DeviceNameSchema.safeParse(host).success ? host : 'This computer'
  }

  rename(name: string): void {
    this.prefs.set(NAME_PREF, name)
  }
}
