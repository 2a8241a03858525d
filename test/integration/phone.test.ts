/**
 * Phone discovery over a real Mosquitto: bob registers his number (a retained
 * record under its salted hash), alice finds him from a vCard and from a CSV file,
 * invalid entries are counted, and unregistering takes him out of the directory.
 */
import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { FAST, publish, record, urlBroker, useMosquittoLab, waitFor } from '../helpers/core'

/** docs/protocol.md's formula, computed independently of the engine. */
const idOf = (e164: string) => createHash('sha256').update(`parley-phone-v1:IMS:${e164}`).digest('hex')

const BOB = '+48601234567'
const CAROL = '+12025550143'

describe('phone discovery', () => {
  const env = useMosquittoLab({ tuning: FAST })

  it('bob registers his number; alice finds him from a vCard and a CSV file (one invalid entry counted); once he unregisters, nobody does', async () => {
    const bob = await env.lab.open('bob', urlBroker(env.broker.url))
    const alice = await env.lab.open('alice', urlBroker(env.broker.url))
    await bob.connected()
    await alice.connected()

    await expect(bob.services.phone.register({ number: '12 34' })).rejects.toThrow(/not a valid phone number/)
    expect(await bob.services.phone.register({ number: '601 234 567', country: 'PL' })).toEqual({ number: BOB, id: idOf(BOB), published: true })
    // What a plain client sees on the directory topic: bob's retained record.
    const raw = await env.lab.client(env.broker.url)
    const held = await record(raw, `IMS/$Phone/${idOf(BOB)}`)
    await waitFor(() => held.length === 1, 'the retained phone record')
    expect(held[0]!.retain).toBe(true)
    expect(JSON.parse(held[0]!.payload.toString())).toMatchObject({ v: 1, type: 'phone', from: 'bob', body: { id: idOf(BOB) } })

    const vcf = [
      'BEGIN:VCARD',
      'VERSION:3.0',
      'FN:Bob Nowak',
      'TEL;TYPE=CELL:+48 601-234-',
      ' 567',
      'END:VCARD',
      'BEGIN:VCARD',
      'VERSION:3.0',
      'FN:Carol',
      'TEL:+1 (202) 555-0143',
      'TEL:+48 12',
      'END:VCARD',
    ].join('\r\n')
    const fromVcf = await alice.services.phone.discover({ text: vcf, waitMs: 300 })
    expect(fromVcf).toEqual({
      matches: [
        { number: BOB, name: 'Bob Nowak', user: 'bob' },
        { number: CAROL, name: 'Carol', user: null },
      ],
      invalid: 1,
    })

    const csv = 'Name,Mobile\n"Nowak, Bob",601 234 567\nCarol,(202) 555-0143\nDave,call me\n'
    const fromCsv = await alice.services.phone.discover({ text: csv, country: 'PL', waitMs: 300 })
    // With PL as the country, Carol's US number without +1 is not valid: two invalid entries.
    expect(fromCsv).toEqual({ matches: [{ number: BOB, name: 'Nowak, Bob', user: 'bob' }], invalid: 2 })
    expect(await alice.services.phone.matches()).toEqual([{ number: BOB, name: 'Nowak, Bob', user: 'bob' }])

    // The lookups were short-lived: alice no longer follows the directory topic.
    await publish(raw, `IMS/$Phone/${idOf(CAROL)}`, JSON.stringify({ v: 1, id: crypto.randomUUID(), type: 'phone', from: 'carol', ts: Date.now(), body: { id: idOf(CAROL) } }), {
      retain: true,
    })
    await new Promise((r) => setTimeout(r, 200))
    expect(alice.log.lines.some((l) => l.includes('$Phone'))).toBe(false)
    // …and a record a plain client wrote as the docs say is found like any other.
    expect((await alice.services.phone.discover({ text: `${CAROL}\n`, waitMs: 300 })).matches).toEqual([{ number: CAROL, name: null, user: 'carol' }])

    expect(await bob.services.phone.unregister()).toEqual({ number: null, id: null, published: false })
    await waitFor(() => held.some((m) => m.payload.length === 0), 'the record removed')
    const after = await alice.services.phone.discover({ text: vcf, waitMs: 300 })
    expect(after.matches.map((m) => m.user)).toEqual([null, 'carol'])
    expect(await alice.services.phone.matches()).toEqual([{ number: CAROL, name: 'Carol', user: 'carol' }])
  })

  it('a record whose id is not its topic, or that is not an envelope, is not a match', async () => {
    const alice = await env.lab.open('alice2', urlBroker(env.broker.url))
    await alice.connected()
    const raw = await env.lab.client(env.broker.url)
    const number = '+48602345678'
    await publish(raw, `IMS/$Phone/${idOf(number)}`, JSON.stringify({ v: 1, id: crypto.randomUUID(), type: 'phone', from: 'mallory', ts: Date.now(), body: { id: idOf(BOB) } }), {
      retain: true,
    })
    const other = '+48603456789'
    await publish(raw, `IMS/$Phone/${idOf(other)}`, 'mallory', { retain: true })
    const r = await alice.services.phone.discover({ text: `${number}\n${other}\n`, waitMs: 300 })
    expect(r.matches.map((m) => m.user)).toEqual([null, null])
    expect(alice.log.lines.join('\n')).toMatch(/dropped a phone record.*its id is not the topic's/)
    expect(alice.log.lines.join('\n')).toMatch(/dropped a phone record.*not an envelope/)
  })
  it('a file of 450 numbers is looked up in batches, and a match in the last batch is found', async () => {
    const alice = await env.lab.open('alice3', urlBroker(env.broker.url))
    await alice.connected()
    const raw = await env.lab.client(env.broker.url)
    const numbers = Array.from({ length: 450 }, (_, i) => `+48 601 ${String(100_000 + i).slice(0, 3)} ${String(100_000 + i).slice(3)}`)
    const last = '+48601100449'
    await publish(raw, `IMS/$Phone/${idOf(last)}`, JSON.stringify({ v: 1, id: crypto.randomUUID(), type: 'phone', from: 'zoe', ts: Date.now(), body: { id: idOf(last) } }), {
      retain: true,
    })
    const csv = ['name,phone', ...numbers.map((n, i) => `Person ${i},${n}`)].join('\n')
    const r = await alice.services.phone.discover({ text: csv, waitMs: 300 })
    expect(r.invalid).toBe(0)
    expect(r.matches).toHaveLength(450)
    expect(r.matches.filter((m) => m.user)).toEqual([{ number: last, name: 'Person 449', user: 'zoe' }])
  })

  it('a file with more numbers than one lookup takes is refused at once, saying the limit', async () => {
    const alice = await env.lab.open('alice4', urlBroker(env.broker.url))
    await alice.connected()
    const rows = Array.from({ length: 20_000 }, (_, i) => `Person ${i},+4860${String(1_000_000 + i)}`)
    await expect(alice.services.phone.discover({ text: `name,phone\n${rows.join('\n')}` })).rejects.toThrow(
      'That file has more than 5000 numbers; Parley looks up at most 5000 at a time.',
    )
  })
})
