/** The editable fields of my profile: their rules come from the contract, so the settings form and the engine agree. */
import type { Profile, ProfileUpdate } from '../../../../shared/contract'
import { ProfileUpdateSchema } from '../../../../shared/contract'

export type ProfileField = 'name' | 'status' | 'email'
export const PROFILE_FIELDS: readonly ProfileField[] = ['name', 'status', 'email']

export type ProfileDraft = Record<ProfileField, string>

/** What the form starts from: the profile's values, '' for none. */
export function draftOf(p: Profile | null): ProfileDraft {
  return { name: p?.name ?? '', status: p?.status ?? '', email: p?.email ?? '' }
}

/** What a typed value means: surrounding spaces dropped, blank = clear the field. */
export function valueOf(text: string): string | null {
  const t = text.trim()
  return t === '' ? null : t
}

/** Why `text` cannot be `field`, in the contract's words; null when it can. */
export function fieldProblem(field: ProfileField, text: string): string | null {
  const r = ProfileUpdateSchema.shape[field].safeParse(valueOf(text))
  return r.success ? null : (r.error.issues[0]?.message ?? 'This value is not accepted.')
}

/** The changes that turn `base` into `draft` (only fields that differ). */
export function changesBetween(base: ProfileDraft, draft: ProfileDraft, fields: readonly ProfileField[] = PROFILE_FIELDS): ProfileUpdate {
  const changes: ProfileUpdate = {}
  for (const f of fields) {
    if (valueOf(draft[f]) !== valueOf(base[f])) changes[f] = valueOf(draft[f])
  }
  return changes
}
