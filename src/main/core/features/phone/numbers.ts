import { createHash } from 'node:crypto'
import { isSupportedCountry, parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max'

/**
 * The phone directory's id of an E.164 number: hex SHA-256 of
 * `parley-phone-v1:{root}:{e164}` (docs/protocol.md). Everyone on a broker must
 * compute the same id, so the salt is fixed and public: it only keeps tables
 * precomputed for other apps from working here, it does not make a number secret.
 */
export function phoneId(root: string, e164: string): string {
  return createHash('sha256').update(`parley-phone-v1:${root}:${e164}`, 'utf8').digest('hex')
}

/** Whether libphonenumber knows `country` (an ISO 3166 two-letter code). */
export function knownCountry(country: string): country is CountryCode {
  return isSupportedCountry(country)
}

/**
 * A number as people write it → E.164 (`+48555555555`), or null when it is not a
 * valid number. Without a `+` the number is read as one of `country`; "00" is
 * read as the international prefix when no country is given.
 */
export function toE164(raw: string, country?: CountryCode): string | null {
  let text = raw.trim()
  if (!country && /^00[1-9]/.test(text)) text = '+' + text.slice(2)
  if (text.length === 0 || text.length > 60) return null
  const parsed = parsePhoneNumberFromString(text, country ? { defaultCountry: country } : undefined)
  return parsed && parsed.isValid() ? parsed.number : null
}
