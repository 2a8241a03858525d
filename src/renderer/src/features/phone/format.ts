/** Regions, files and result wording for finding friends by phone number, kept apart from the components for tests. */
import type { ImportResult, PhoneMatch } from '../../../../shared/contract'

/** Regions offered first in the country choice (any other is typed as two letters). */
export const COMMON_REGIONS = [
  'US', 'GB', 'CA', 'AU', 'IN', 'IE', 'DE', 'FR', 'ES', 'IT', 'NL', 'BE', 'CH', 'AT', 'PL', 'SE', 'NO', 'DK', 'FI',
  'PT', 'CZ', 'UA', 'TR', 'BR', 'MX', 'AR', 'JP', 'KR', 'CN', 'NG', 'ZA', 'EG',
] as const

/** The largest file read (the engine refuses more). */
export const MAX_FILE_BYTES = 5 * 1024 * 1024

export function isRegion(code: string): boolean {
  return /^[A-Z]{2}$/.test(code)
}

/** "Poland" for "PL", in the person's language; the code itself when the browser has no name for it. */
export function regionName(code: string): string {
  try {
    return new Intl.DisplayNames(undefined, { type: 'region' }).of(code) ?? code
  } catch {
    return code
  }
}

/** The region of the first language tag that names or implies one ("pl-PL", "en-US", "de" → DE); null if none does. */
export function regionFromLanguages(languages: readonly string[]): string | null {
  for (const tag of languages) {
    try {
      const region = new Intl.Locale(tag).maximize().region
      if (region && isRegion(region)) return region
    } catch {
      // Not a language tag: try the next one.
    }
  }
  return null
}

/** Why a picked file cannot be searched, as a sentence; null when it can. */
export function fileProblem(file: { name: string; size: number }): string | null {
  if (!/\.(csv|vcf|vcard|txt)$/i.test(file.name)) return 'Pick a CSV file or a vCard (.vcf) file exported from your address book.'
  if (file.size > MAX_FILE_BYTES) return 'That file is over 5 MB. Export fewer contacts, or split the file.'
  if (file.size === 0) return 'That file is empty.'
  return null
}

/** Parley users first (by name), then the rest (by name or number). */
export function sortMatches(matches: readonly PhoneMatch[]): { users: PhoneMatch[]; others: PhoneMatch[] } {
  const collator = new Intl.Collator(undefined, { sensitivity: 'base', numeric: true })
  const byName = (a: PhoneMatch, b: PhoneMatch) => collator.compare(a.name ?? a.number, b.name ?? b.number) || a.number.localeCompare(b.number)
  return {
    users: matches.filter((m) => m.user !== null).sort(byName),
    others: matches.filter((m) => m.user === null).sort(byName),
  }
}

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`

/** "2 of 120 numbers are on Parley." and, when some entries were not numbers, how many. */
export function importSummary(result: ImportResult): { found: string; invalid: string | null } {
  const total = result.matches.length
  const users = result.matches.filter((m) => m.user !== null).length
  const found =
    total === 0
      ? 'No phone numbers were found in this file.'
      : users === 0
        ? total === 1
          ? 'The number in this file is not on Parley yet.'
          : `None of the ${total} numbers is on Parley yet.`
        : `${users} of ${plural(total, 'number is', 'numbers are')} on Parley.`
  const invalid = result.invalid > 0 ? plural(result.invalid, 'entry was not a valid phone number.', 'entries were not valid phone numbers.') : null
  return { found, invalid }
}
