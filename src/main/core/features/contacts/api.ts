import type { ContactState, ContactsChange } from '../../../../shared/contract'

/** What other features get from contacts (through `dependsOn: ['contacts']`). */
export interface ContactsApi {
  /** An accepted contact (not a pending request). */
  isContact(user: string): boolean
  /** Where `user` stands: a contact, a request in or out, or null (nothing pending, or declined). */
  state(user: string): ContactState | null
  /** Accepted contacts' names. */
  contacts(): string[]
  /** After a batch of changes is committed. */
  onChange(listener: (change: ContactsChange) => void): void
}
