/** Send to a list: one text to several people, each in their own chat (messages.sendToMany). */
import { inject, type InjectionKey } from 'vue'
import type { ChatMessage } from '../../../../shared/contract'
import type { FeatureContext } from '../feature'

export interface SendListActions {
  /** Sends `text` to each of `to` (rejects with a sentence to show; then nothing was sent). */
  send(to: string[], text: string): Promise<ChatMessage[]>
}

export const SendListActionsKey: InjectionKey<SendListActions> = Symbol('parley-send-list')

export function useSendListActions(): SendListActions {
  const actions = inject(SendListActionsKey)
  if (!actions) throw new Error('The send-list feature is not installed.')
  return actions
}

export function setupSendList(ctx: FeatureContext): void {
  // The messages feature hears each new message's event and shows it in its chat.
  ctx.provide(SendListActionsKey, { send: (to, text) => ctx.api.messages.sendToMany({ to, text }) })
}
