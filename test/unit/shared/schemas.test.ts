import { describe, expect, it } from 'vitest'
import {
  AccountSetupSchema,
  BrokerSettingsSchema,
  DEFAULT_EMBEDDED_PORT,
  MAX_TEXT_LENGTH,
  MessageTextSchema,
  SettingsSchema,
} from '../../../src/shared/schemas'

const url = (u: string) => BrokerSettingsSchema.safeParse({ kind: 'url', url: u })

describe('broker settings schema', () => {
  it.each(['mqtt://127.0.0.1:1883', 'mqtts://broker.example.com:8883', 'ws://localhost:8080/mqtt', 'wss://host/mqtt', '  mqtt://host  '])(
    'accepts %s',
    (u) => {
      expect(url(u).success).toBe(true)
    },
  )

  it.each(['http://host:1883', 'https://host', 'ftp://host', 'tcp://host:1883', 'garbage', 'host:1883', '', 'mqtt://', '://'])('refuses %j with a readable message', (u) => {
    const r = url(u)
    expect(r.success).toBe(false)
    expect(r.error!.issues[0]!.message).toMatch(/broker URL/)
  })

  it('fills embedded defaults: port 18830, not shared on the LAN', () => {
    expect(BrokerSettingsSchema.parse({ kind: 'embedded' })).toEqual({ kind: 'embedded', port: DEFAULT_EMBEDDED_PORT, shareOnLan: false })
  })

  it('refuses an unknown kind and out-of-range ports', () => {
    expect(BrokerSettingsSchema.safeParse({ kind: 'cloud' }).success).toBe(false)
    expect(BrokerSettingsSchema.safeParse({ kind: 'embedded', port: 0 }).success).toBe(false)
    expect(BrokerSettingsSchema.safeParse({ kind: 'embedded', port: 65536 }).success).toBe(false)
    expect(BrokerSettingsSchema.safeParse({ kind: 'embedded', port: 1.5 }).success).toBe(false)
  })
})

describe('account and settings schemas', () => {
  it('account setup validates the user name', () => {
    expect(AccountSetupSchema.safeParse({ user: 'alice', broker: { kind: 'embedded' } }).success).toBe(true)
    const bad = AccountSetupSchema.safeParse({ user: 'al/ice', broker: { kind: 'embedded' } })
    expect(bad.success).toBe(false)
    expect(bad.error!.issues[0]!.message).toMatch(/cannot contain/)
  })

  it('settings fill root and group id defaults and need version 1', () => {
    const s = SettingsSchema.parse({ version: 1, user: 'alice', broker: { kind: 'embedded' }, deviceId: 'dev1' })
    expect(s.root).toBe('IMS')
    expect(s.groupId).toBe('GID_PARLEY')
    expect(SettingsSchema.safeParse({ version: 2, user: 'alice', broker: { kind: 'embedded' }, deviceId: 'dev1' }).success).toBe(false)
  })
})

describe('message text', () => {
  it('message text is non-empty and at most MAX_TEXT_LENGTH', () => {
    expect(MessageTextSchema.safeParse('hi').success).toBe(true)
    expect(MessageTextSchema.safeParse('x'.repeat(MAX_TEXT_LENGTH)).success).toBe(true)
    expect(MessageTextSchema.safeParse('x'.repeat(MAX_TEXT_LENGTH + 1)).error!.issues[0]!.message).toMatch(/at most/)
    expect(MessageTextSchema.safeParse('  \n ').error!.issues[0]!.message).toMatch(/cannot be empty/)
  })
})
