import { useExtensions, type ConversationRef } from '../../ui/extensions'
import { conversationTitle } from '../conversations'

/** A person as the Contacts tab shows them: the name, photo and presence line that other features know. */
export function usePeople() {
  const extensions = useExtensions()
  const refOf = (user: string): ConversationRef => ({ id: `dm:${user}`, kind: 'dm', peer: user })
  return {
    refOf,
    nameOf: (user: string) => conversationTitle(extensions, { kind: 'dm', peer: user, title: user }),
    photoOf: (user: string) => extensions.text('person.avatar', { user }),
    /** "online", "last seen 5 min ago"… where presence knows it. */
    statusOf: (user: string, now: number) => extensions.text('conversation.status', { conversation: refOf(user), now }),
  }
}
