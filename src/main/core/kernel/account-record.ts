import { randomBytes } from 'node:crypto'
import { rmSync } from 'node:fs'
import { join } from 'node:path'
import type Database from 'better-sqlite3'
import { brokerEndpoint } from '../../../shared/broker-endpoint'
import type { BrokerChange } from '../../../shared/contract'
import type { z } from 'zod'
import { DEFAULT_GROUP_ID, DEFAULT_ROOT, type AccountSetupSchema, type BrokerSettings, type Settings } from '../../../shared/schemas'
import { NameSchema } from '../../../shared/protocol/names'
import { clientId } from '../../../shared/protocol/topics'
import type { Account } from './feature'
import type { Prefs } from './prefs'
import { saveSettings } from './settings-file'
import { wipeHistory } from './wipe-history'

/** Whose history.db this is: kept in it, so it is known after a sign-out that kept the history. */
const OWNER_PREF = 'account.owner'

/**
 * What a data directory knows of its account: settings.json (user, broker, device
 * id, client secret) and, in history.db, whose history it is. Read, changed and
 * forgotten here; the kernel decides when (around its session's lifecycle).
 */
export class AccountRecord {
  private current: Settings | null
  private problemList: string[]

  constructor(
    private readonly dataDir: string,
    private readonly prefs: Prefs,
    settings: Settings | null,
    problems: string[],
  ) {
    this.current = settings
    this.problemList = problems
  }

  get settings(): Settings | null {
    return this.current
  }

  get account(): Account | null {
    const s = this.current
    return s ? { user: s.user, root: s.root, deviceId: s.deviceId } : null
  }

  /** What went wrong reading the data directory, for people; null when nothing did. */
  get problem(): string | null {
    return this.problemList.length ? this.problemList.join(' ') : null
  }

  /** The user this history belongs to: the signed-in one, else whoever signed out keeping it (null: nobody yet). */
  historyOwner(): string | null {
    return this.current?.user ?? this.prefs.get<string | null>(OWNER_PREF, NameSchema.nullable(), null)
  }

  /**
   * The UI never sees the stored password or CA: a URL broker given without them
   * keeps the current ones when asked to, and only for the same broker: the
   * password for the same host, port and user name (never sent to another server,
   * which a changed URL would otherwise do), the CA for the same host (another
   * broker has another certificate).
   */
  withKeptSecrets(broker: BrokerSettings, change?: BrokerChange): BrokerSettings {
    const prev = this.current?.broker
    if (!change?.keepSecrets || broker.kind !== 'url' || prev?.kind !== 'url') return broker
    const kept = { ...broker }
    const sameServer = brokerEndpoint(kept.url) === brokerEndpoint(prev.url)
    if (kept.password === undefined && prev.password !== undefined && sameServer && (kept.username ?? '') === (prev.username ?? '')) kept.password = prev.password
    if (kept.ca === undefined && prev.ca !== undefined && hostOf(kept.url) === hostOf(prev.url)) kept.ca = prev.ca
    return kept
  }

  /** The settings a set-up makes, saved: its user and broker, this device's ids kept. Current once `adopt`ed. */
  saveSetup(setup: z.output<typeof AccountSetupSchema>, change?: BrokerChange): Settings {
    const prev = this.current
    const next: Settings = {
      version: 1,
      user: setup.user,
      broker: this.withKeptSecrets(setup.broker, change),
      root: prev?.root ?? DEFAULT_ROOT,
      groupId: prev?.groupId ?? DEFAULT_GROUP_ID,
      deviceId: prev?.deviceId ?? randomBytes(8).toString('hex'),
      clientSecret: prev?.clientSecret ?? randomBytes(16).toString('hex'),
      // Not drained yet: the old session may still hold messages, and its id is guessable.
      ...(prev?.legacyClientId ? { legacyClientId: prev.legacyClientId } : {}),
    }
    this.save(next)
    return next
  }

  /** Makes saved settings the current ones: the earlier problems are gone, and the history is its user's. */
  adopt(next: Settings): void {
    this.current = next
    this.problemList = []
    this.prefs.set(OWNER_PREF, next.user)
  }

  /**
   * The secret part of the client id. Settings from before it existed get one, once;
   * the old id is remembered, as its broker session may still hold queued messages.
   */
  clientSecret(s: Settings): string {
    if (s.clientSecret) return s.clientSecret
    s.clientSecret = randomBytes(16).toString('hex')
    s.legacyClientId = clientId(s.groupId, s.deviceId)
    this.save(s)
    return s.clientSecret
  }

  /** The old client id's session is empty: forget it (unless `s` is no longer current). */
  legacyDrained(s: Settings): void {
    if (this.current !== s) return
    delete s.legacyClientId
    this.save(s)
  }

  /** Signed out: settings.json removed; the history emptied, or kept as `user`'s for the next sign-in. */
  forget(user: string, deleteHistory: boolean, db: Database.Database): void {
    rmSync(this.file, { force: true })
    this.current = null
    this.problemList = []
    if (deleteHistory) wipeHistory(db)
    else this.prefs.set(OWNER_PREF, user)
  }

  private get file(): string {
    return join(this.dataDir, 'settings.json')
  }

  private save(s: Settings): void {
    saveSettings(this.file, s)
  }
}

function hostOf(url: string): string | null {
  try {
    return new URL(url).host
  } catch {
    return null
  }
}

