import { beforeEach, describe, expect, it } from 'vitest'
import { createPinia, setActivePinia } from 'pinia'
import type { Contact } from '../../../src/shared/contract'
import { useContactsStore } from '../../../src/renderer/src/features/contacts/store'
import {
  bounded,
  byShownName,
  noteProblem,
  outgoingLine,
  PAGE_ROWS,
  relationLine,
  requestProblem,
  requestSentMessage,
} from '../../../src/renderer/src/features/contacts/format'

const contact = (user: string, state: Contact['state'], since = 1, note: string | null = null): Contact => ({
  user,
  state,
  note,
  since,
  expiresAt: state === 'contact' ? null : since + 1000,
})

const FSI = '\u2068'
const PDI = '\u2069'

describe('contacts store', () => {
  beforeEach(() => setActivePinia(createPinia()))

  it('sorts requests newest first and contacts by user name, each in its own list', () => {
    const s = useContactsStore()
    expect(s.loaded).toBe(false)
    s.replaceAll([contact('zed', 'contact'), contact('dave', 'incoming', 5), contact('erin', 'incoming', 9), contact('amy', 'contact'), contact('gus', 'outgoing')])
    expect(s.loaded).toBe(true)
    expect(s.incoming.map((c) => c.user)).toEqual(['erin', 'dave'])
    expect(s.contacts.map((c) => c.user)).toEqual(['amy', 'zed'])
    expect(s.outgoing.map((c) => c.user)).toEqual(['gus'])
  })

  it('applies a batch of changes: accepted requests move, removed users go', () => {
    const s = useContactsStore()
    s.replaceAll([contact('dave', 'incoming'), contact('erin', 'outgoing'), contact('bob', 'contact')])
    s.apply({ changed: [contact('dave', 'contact', 7)], removed: ['erin'] })
    expect(s.incoming).toEqual([])
    expect(s.outgoing).toEqual([])
    expect(s.contacts.map((c) => c.user)).toEqual(['bob', 'dave'])
  })

  it('takes a flood of a thousand requests as one update, quickly', () => {
    const s = useContactsStore()
    s.replaceAll([])
    const flood = Array.from({ length: 1000 }, (_, i) => contact(`spam${i}`, 'incoming', i))
    const started = performance.now()
    s.apply({ changed: flood, removed: [] })
    expect(s.incoming).toHaveLength(1000)
    expect(s.incoming[0]!.user).toBe('spam999')
    expect(performance.now() - started).toBeLessThan(500)
  })

  it('a failed read is kept until a list arrives; the details dialog follows showDetails', () => {
    const s = useContactsStore()
    s.failed('This part of Parley is not built yet.')
    expect(s.loadError).toBe('This part of Parley is not built yet.')
    s.replaceAll([])
    expect(s.loadError).toBeNull()
    s.showDetails('bob')
    expect(s.detailsFor).toBe('bob')
    s.showDetails(null)
    expect(s.detailsFor).toBeNull()
  })
})

describe('contacts wording and checks', () => {
  it('draws a bounded part of a long list and says how many are left out', () => {
    const items = Array.from({ length: 1000 }, (_, i) => i)
    const b = bounded(items, PAGE_ROWS)
    expect(b.shown).toHaveLength(PAGE_ROWS)
    expect(b.hidden).toBe(1000 - PAGE_ROWS)
    expect(bounded([1, 2], PAGE_ROWS)).toEqual({ shown: [1, 2], hidden: 0 })
  })

  it('refuses a request that cannot be sent, saying why', () => {
    const none = { me: 'alice', existing: undefined, blocked: false }
    expect(requestProblem('', none)).toBe('A name is required.')
    expect(requestProblem('a/b', none)).toMatch(/cannot contain "\/"/)
    expect(requestProblem('alice', none)).toBe('That is you.')
    expect(requestProblem('bob', { ...none, existing: contact('bob', 'contact') })).toBe(`${FSI}bob${PDI} is already in your contacts.`)
    expect(requestProblem('bob', { ...none, existing: contact('bob', 'outgoing') })).toMatch(/already asked/)
    expect(requestProblem('bob', { ...none, blocked: true })).toMatch(/You blocked .*bob.*Unblock them first/)
    // Their request to me: asking back accepts it, so it is allowed.
    expect(requestProblem('bob', { ...none, existing: contact('bob', 'incoming') })).toBeNull()
    expect(requestProblem('bob', none)).toBeNull()
  })

  it('checks the note like other text people see, an empty note being no note', () => {
    expect(noteProblem('')).toBeNull()
    expect(noteProblem('   ')).toBeNull()
    expect(noteProblem('We met at the meetup')).toBeNull()
    expect(noteProblem('x'.repeat(281))).toMatch(/at most 280/)
    expect(noteProblem('evil\u202Eetoh')).toMatch(/invisible/)
  })

  it('says whether a request went, was saved for later, or made us contacts at once', () => {
    expect(requestSentMessage(contact('bob', 'outgoing'), true)).toBe(`Request sent to ${FSI}bob${PDI}.`)
    expect(requestSentMessage(contact('bob', 'outgoing'), false)).toMatch(/offline: the request to .*bob.* will be sent when Parley reconnects/)
    expect(requestSentMessage(contact('bob', 'contact'), true)).toMatch(/you are now contacts/)
  })

  it('sorts by the name shown, ignoring case and accents, then by user name', () => {
    const shown: Record<string, string> = { u1: 'Zoë', u2: 'adam', u3: 'Émile', u4: 'adam' }
    const sorted = byShownName(['u1', 'u2', 'u3', 'u4'].map((user) => ({ user })), (u) => shown[u]!)
    expect(sorted.map((x) => x.user)).toEqual(['u2', 'u4', 'u3', 'u1'])
  })

  it('says whether a sent request is still waiting for the broker, was refused, or waits for their answer', () => {
    expect(outgoingLine({ delivery: 'queued' })).toBe('Waiting to be sent')
    expect(outgoingLine({ delivery: 'sent' })).toBe('Waiting for an answer')
    expect(outgoingLine({})).toBe('Waiting for an answer')
    expect(outgoingLine({ delivery: 'failed' })).toMatch(/^Not sent/)
  })

  it('words where we stand for the details dialog', () => {
    expect(relationLine(undefined, false)).toBe('Not in your contacts.')
    expect(relationLine(contact('bob', 'incoming'), false)).toBe('Wants to be your contact.')
    expect(relationLine(contact('bob', 'contact', Date.UTC(2025, 2, 3, 12)), false)).toMatch(/^In your contacts since .*2025\.$/)
    expect(relationLine(contact('bob', 'outgoing'), false)).toMatch(/waiting for an answer/)
    expect(relationLine(contact('bob', 'contact'), true)).toMatch(/^You blocked them/)
  })
})
