import { describe, expect, it } from 'vitest'
import type { PublicBrokerSettings } from '../../../src/shared/contract'
import { brokerFromDraft, draftChanged, draftFrom, keepsPassword } from '../../../src/renderer/src/features/account/broker-draft'

const urlBroker: PublicBrokerSettings = { kind: 'url', url: 'mqtt://broker.example:1883', username: 'alice', hasPassword: true, hasCa: false }

describe('the broker form', () => {
  it('starts from what is configured, never showing a password', () => {
    expect(draftFrom(urlBroker)).toEqual({ kind: 'url', port: '', shareOnLan: false, url: 'mqtt://broker.example:1883', username: 'alice', password: '' })
    expect(draftFrom({ kind: 'embedded', port: 18830, shareOnLan: true })).toMatchObject({ kind: 'embedded', port: '', shareOnLan: true })
    expect(draftFrom({ kind: 'embedded', port: 2000, shareOnLan: false }).port).toBe('2000')
    expect(draftFrom(null).kind).toBe('embedded')
  })

  it('turns what was typed into broker settings, or says which field is wrong', () => {
    const d = draftFrom(null)
    expect(brokerFromDraft({ ...d, port: ' 2000 ' })).toEqual({ ok: true, broker: { kind: 'embedded', shareOnLan: false, port: 2000 } })
    expect(brokerFromDraft(d)).toEqual({ ok: true, broker: { kind: 'embedded', shareOnLan: false } })
    expect(brokerFromDraft({ ...d, port: '70000' })).toMatchObject({ ok: false, field: 'port' })
    expect(brokerFromDraft({ ...d, port: '1e3' })).toMatchObject({ ok: false, field: 'port' })
    const u = { ...d, kind: 'url' as const }
    expect(brokerFromDraft({ ...u, url: '  ' })).toEqual({ ok: false, field: 'url', error: 'Enter the broker URL, like mqtt://host:1883.' })
    expect(brokerFromDraft({ ...u, url: 'http://host' })).toMatchObject({ ok: false, field: 'url', error: expect.stringMatching(/mqtt:\/\/host:1883/) })
    expect(brokerFromDraft({ ...u, url: ' mqtts://h:8883 ', username: 'bob', password: 'pw' })).toEqual({
      ok: true,
      broker: { kind: 'url', url: 'mqtts://h:8883', username: 'bob', password: 'pw' },
    })
  })

  it('keeps the stored password only when the field is left empty for the same user name on the same broker', () => {
    const d = draftFrom(urlBroker)
    expect(keepsPassword(d, urlBroker)).toBe(true)
    expect(keepsPassword({ ...d, url: `${d.url} ` }, urlBroker)).toBe(true)
    // Another server, or the same host reached another way, never gets the stored password.
    expect(keepsPassword({ ...d, url: 'mqtt://other:1883' }, urlBroker)).toBe(false)
    expect(keepsPassword({ ...d, url: d.url.replace(/^mqtts?:/, 'ws:') }, urlBroker)).toBe(false)
    expect(keepsPassword({ ...d, password: 'new' }, urlBroker)).toBe(false)
    expect(keepsPassword({ ...d, username: 'bob' }, urlBroker)).toBe(false)
    expect(keepsPassword(d, { ...urlBroker, hasPassword: false })).toBe(false)
    expect(keepsPassword(draftFrom(null), null)).toBe(false)
  })

  it('has nothing to save until something differs from what is configured', () => {
    const d = draftFrom(urlBroker)
    expect(draftChanged(d, urlBroker)).toBe(false)
    expect(draftChanged({ ...d, url: 'mqtt://broker.example:1883 ' }, urlBroker)).toBe(false)
    expect(draftChanged({ ...d, url: 'mqtt://other:1883' }, urlBroker)).toBe(true)
    expect(draftChanged({ ...d, password: 'x' }, urlBroker)).toBe(true)
    expect(draftChanged({ ...d, kind: 'embedded' }, urlBroker)).toBe(true)
  })
})
