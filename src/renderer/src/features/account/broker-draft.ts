/**
 * The broker part of a form (set-up, the Broker section) as the person types it, and
 * the settings it stands for. Pure functions: the form keeps text, this checks it.
 */
import { brokerEndpoint } from '../../../../shared/broker-endpoint'
import type { AccountSetup, PublicBrokerSettings } from '../../../../shared/contract'
import { BrokerSettingsSchema, DEFAULT_EMBEDDED_PORT } from '../../../../shared/schemas'

export interface BrokerDraft {
  kind: 'embedded' | 'url'
  /** Empty: the default port. */
  port: string
  shareOnLan: boolean
  url: string
  username: string
  /** Empty with `keepPassword`: the stored one stays. */
  password: string
}

export type BrokerInput = AccountSetup['broker']

/** The form filled from what is configured (or the defaults). Passwords are never shown, so the field starts empty. */
export function draftFrom(current: PublicBrokerSettings | null): BrokerDraft {
  return {
    kind: current?.kind ?? 'embedded',
    port: current?.kind === 'embedded' && current.port !== DEFAULT_EMBEDDED_PORT ? String(current.port) : '',
    shareOnLan: current?.kind === 'embedded' ? current.shareOnLan : false,
    url: current?.kind === 'url' ? current.url : '',
    username: current?.kind === 'url' ? (current.username ?? '') : '',
    password: '',
  }
}

export type DraftCheck = { ok: true; broker: BrokerInput } | { ok: false; field: 'port' | 'url'; error: string }

function parsePort(text: string): number | null | 'invalid' {
  const t = text.trim()
  if (t === '') return null
  if (!/^\d{1,5}$/.test(t)) return 'invalid'
  const n = Number(t)
  return n >= 1 && n <= 65535 ? n : 'invalid'
}

/** The broker settings the draft describes, or which field is wrong and why (in words for people). */
export function brokerFromDraft(d: BrokerDraft): DraftCheck {
  if (d.kind === 'embedded') {
    const p = parsePort(d.port)
    if (p === 'invalid') return { ok: false, field: 'port', error: 'The port must be a whole number from 1 to 65535.' }
    return { ok: true, broker: { kind: 'embedded', shareOnLan: d.shareOnLan, ...(p === null ? {} : { port: p }) } }
  }
  const url = d.url.trim()
  if (!url) return { ok: false, field: 'url', error: 'Enter the broker URL, like mqtt://host:1883.' }
  const broker: BrokerInput = {
    kind: 'url',
    url,
    ...(d.username ? { username: d.username } : {}),
    ...(d.password ? { password: d.password } : {}),
  }
  const checked = BrokerSettingsSchema.safeParse(broker)
  if (!checked.success) return { ok: false, field: 'url', error: checked.error.issues[0]?.message ?? 'This is not a broker URL.' }
  return { ok: true, broker }
}

/**
 * Whether saving `draft` would keep the stored password: the person left the field
 * empty, for the same user name on the same broker (scheme, host and port) that has
 * one (the engine applies the same rule, see `keepSecrets`).
 */
export function keepsPassword(d: BrokerDraft, current: PublicBrokerSettings | null): boolean {
  return (
    d.kind === 'url' &&
    d.password === '' &&
    current?.kind === 'url' &&
    current.hasPassword &&
    d.username === (current.username ?? '') &&
    brokerEndpoint(d.url) === brokerEndpoint(current.url)
  )
}

/** Whether the draft differs from what is configured (an unchanged form has nothing to save). */
export function draftChanged(d: BrokerDraft, current: PublicBrokerSettings | null): boolean {
  const base = draftFrom(current)
  if (d.kind !== base.kind) return true
  if (d.kind === 'embedded') return d.port.trim() !== base.port || d.shareOnLan !== base.shareOnLan
  return d.url.trim() !== base.url || d.username !== base.username || d.password !== ''
}
