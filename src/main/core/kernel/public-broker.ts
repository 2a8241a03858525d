import type { PublicBrokerSettings } from '../../../shared/contract'
import type { Settings } from '../../../shared/schemas'

/** Broker settings as the UI and CLI may see them: secrets reduced to whether they are set. */
export function publicBroker(b: Settings['broker']): PublicBrokerSettings {
  if (b.kind === 'embedded') return b
  return { kind: 'url', url: b.url, username: b.username, hasPassword: Boolean(b.password), hasCa: Boolean(b.ca) }
}
