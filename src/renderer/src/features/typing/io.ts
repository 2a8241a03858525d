/** The typing feature's I/O: tells the engine I am typing, and follows who else is. */
import { AccountActionsKey, useAccountStore } from '../account'
import type { FeatureContext } from '../feature'
import { typingLine } from './format'
import { useTypingStore } from './store'

export function setupTyping(ctx: FeatureContext): void {
  const { api } = ctx
  const store = useTypingStore(ctx.pinia)
  const account = useAccountStore(ctx.pinia)
  const accountActions = ctx.inject(AccountActionsKey)

  ctx.onStop(
    api.on('typing', (n) => {
      if (n.user !== account.user) store.notice(n)
    }),
  )
  // Their message has arrived: they are no longer typing it.
  ctx.onStop(
    api.on('message', (m) => {
      if (m.direction === 'in') store.stop(m.conversationId, m.sender)
    }),
  )
  ctx.onStop(accountActions.onReconnected(() => store.clear()))
  ctx.onStop(() => store.clear())

  // The engine throttles what it sends, so every edit may say so. A lost notice matters to no one.
  ctx.extensions.add('composer.input', (conversationId, text) => {
    if (text.trim()) api.typing.typing(conversationId).catch(() => {})
  })
  const line = ({ conversation }: { conversation: { id: string; kind: string } }) => typingLine(conversation.kind, store.typers(conversation.id))
  ctx.extensions.add('conversation.status', { priority: 100, text: line })
  ctx.extensions.add('conversation.preview', { priority: 100, text: line })
}
