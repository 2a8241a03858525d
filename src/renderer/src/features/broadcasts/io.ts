/**
 * The broadcasts feature's I/O: the regions followed (read at sign-in, kept current
 * by events) and changing them; a region's conversation is read-only for non-admins.
 */
import { inject, type InjectionKey } from 'vue'
import { errorMessage, warn } from '../../ui/errors'
import { AccountActionsKey } from '../account'
import type { FeatureContext } from '../feature'
import { useBroadcastsStore } from './store'

/** What a region's conversation says where the composer would be. */
export const READ_ONLY = 'Broadcasts for this region are read-only: only its administrators publish here.'

export interface BroadcastsActions {
  /** Follows exactly these regions (rejects with a sentence to show). */
  setRegions(regions: string[]): Promise<void>
  /** Reads the settings again (the section's "Try again"). */
  reload(): Promise<void>
}

export const BroadcastsActionsKey: InjectionKey<BroadcastsActions> = Symbol('parley-broadcasts')

export function useBroadcastsActions(): BroadcastsActions {
  const actions = inject(BroadcastsActionsKey)
  if (!actions) throw new Error('The broadcasts feature is not installed.')
  return actions
}

export function setupBroadcasts(ctx: FeatureContext): void {
  const { api } = ctx
  const store = useBroadcastsStore(ctx.pinia)
  const account = ctx.inject(AccountActionsKey)

  async function load(): Promise<void> {
    try {
      store.apply(await api.broadcasts.settings())
    } catch (err) {
      // Not fatal: the rest of Parley works; the settings section says why.
      store.failed(errorMessage(err))
      warn('reading the broadcast regions')(err)
    }
  }

  ctx.onStop(account.onSignedIn(load))
  ctx.onStop(account.onReconnected(() => void load()))
  ctx.onStop(api.on('broadcastSettings', (s) => store.apply(s)))

  // A region's conversation: read-only (the chat says so instead of a composer) unless this account may publish.
  ctx.extensions.add('composer.readOnly', {
    priority: 10,
    text: ({ conversation }) => (conversation.kind === 'system' && !store.admin ? READ_ONLY : null),
  })
  ctx.extensions.add('conversation.status', {
    priority: 10,
    text: ({ conversation }) => (conversation.kind === 'system' ? 'System · regional broadcasts' : null),
  })

  ctx.provide(BroadcastsActionsKey, {
    async setRegions(regions) {
      store.apply(await api.broadcasts.setRegions(regions))
    },
    reload: load,
  })
}
