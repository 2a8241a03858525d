import { describe, expect, it } from 'vitest'
import type { PhoneMatch } from '../../../src/shared/contract'
import {
  COMMON_REGIONS,
  fileProblem,
  importSummary,
  isRegion,
  MAX_FILE_BYTES,
  regionFromLanguages,
  regionName,
  sortMatches,
} from '../../../src/renderer/src/features/phone/format'

const match = (number: string, name: string | null, user: string | null): PhoneMatch => ({ number, name, user })

describe('phone: regions, files and results', () => {
  it('finds the region of the first language tag that has or implies one', () => {
    expect(regionFromLanguages(['pl-PL', 'en-US'])).toBe('PL')
    expect(regionFromLanguages(['en-GB'])).toBe('GB')
    expect(regionFromLanguages(['de'])).toBe('DE')
    expect(regionFromLanguages(['not a tag', 'fr-CA'])).toBe('CA')
    expect(regionFromLanguages([])).toBeNull()
  })

  it('offers only two-letter regions, named in the person’s language', () => {
    for (const code of COMMON_REGIONS) expect(isRegion(code), code).toBe(true)
    expect(new Set(COMMON_REGIONS).size).toBe(COMMON_REGIONS.length)
    expect(isRegion('pl')).toBe(false)
    expect(isRegion('POL')).toBe(false)
    expect(regionName('PL')).not.toBe('')
  })

  it('refuses files that are not address books, too large or empty', () => {
    expect(fileProblem({ name: 'contacts.csv', size: 100 })).toBeNull()
    expect(fileProblem({ name: 'Contacts.VCF', size: 100 })).toBeNull()
    expect(fileProblem({ name: 'photo.jpg', size: 100 })).toMatch(/CSV file or a vCard/)
    expect(fileProblem({ name: 'big.csv', size: MAX_FILE_BYTES + 1 })).toMatch(/over 5 MB/)
    expect(fileProblem({ name: 'empty.vcf', size: 0 })).toMatch(/empty/)
  })

  it('puts Parley users first, each group by name or number', () => {
    const { users, others } = sortMatches([
      match('+48555000003', 'zoe', 'zoe'),
      match('+48555000001', null, null),
      match('+48555000002', 'Adam', 'adam'),
      match('+48555000000', 'Bea', null),
    ])
    expect(users.map((m) => m.user)).toEqual(['adam', 'zoe'])
    expect(others.map((m) => m.number)).toEqual(['+48555000001', '+48555000000'])
  })

  it('sums up what was found and how many entries were not numbers', () => {
    expect(importSummary({ matches: [], invalid: 0 })).toEqual({ found: 'No phone numbers were found in this file.', invalid: null })
    expect(importSummary({ matches: [match('+1', null, null)], invalid: 1 })).toEqual({
      found: 'The number in this file is not on Parley yet.',
      invalid: '1 entry was not a valid phone number.',
    })
    expect(
      importSummary({ matches: [match('+1', null, 'bob'), match('+2', null, null), match('+3', null, 'carol')], invalid: 4 }),
    ).toEqual({ found: '2 of 3 numbers are on Parley.', invalid: '4 entries were not valid phone numbers.' })
  })
})
