import type { ConversationSummary } from '../../../../shared/contract'
import type { Extensions } from '../../ui/extensions'

/** What a conversation is called on screen: a person's display name (profiles) for 1:1 chats, else its title. */
export function conversationTitle(extensions: Extensions, c: Pick<ConversationSummary, 'kind' | 'peer' | 'title'>): string {
  const shown = c.kind === 'dm' ? extensions.text('person.name', { user: c.peer }) : null
  return shown ?? (c.title || c.peer)
}
