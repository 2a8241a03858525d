/** The groups feature's I/O: the list of groups and invites kept current by events, the admin actions, and receipt counts. */
import { inject, watch, type InjectionKey } from 'vue'
import type { CreateGroupInput, GroupSummary } from '../../../../shared/contract'
import { warn } from '../../ui/errors'
import { windowHasFocus } from '../../ui/focus'
import { AccountActionsKey } from '../account'
import { ConversationsActionsKey, useConversationsStore } from '../conversations'
import type { FeatureContext } from '../feature'
import { useGroupsStore } from './store'

export interface GroupsActions {
  /** Creates the group, invites `members` and opens its conversation. */
  create(input: CreateGroupInput): Promise<GroupSummary>
  invite(groupId: string, users: readonly string[]): Promise<void>
  /** Accepts an invite and opens the group's conversation. */
  accept(groupId: string): Promise<void>
  decline(groupId: string): Promise<void>
  leave(groupId: string): Promise<void>
  remove(groupId: string, user: string): Promise<void>
  rename(groupId: string, name: string): Promise<void>
  addAdmin(groupId: string, user: string): Promise<void>
  /** A picture's bytes (the engine resizes them), or null to remove the photo. */
  setAvatar(groupId: string, base64: string | null): Promise<void>
  setMuted(groupId: string, muted: boolean): Promise<void>
  /** One of my messages is on screen: read its counts once (events keep them current). */
  watchReceipts(messageId: string): void
}

export const GroupsActionsKey: InjectionKey<GroupsActions> = Symbol('parley-groups')

export function useGroupsActions(): GroupsActions {
  const actions = inject(GroupsActionsKey)
  if (!actions) throw new Error('The groups feature is not installed.')
  return actions
}

export function setupGroups(ctx: FeatureContext): void {
  const { api } = ctx
  const store = useGroupsStore(ctx.pinia)
  const account = ctx.inject(AccountActionsKey)
  const conversations = ctx.inject(ConversationsActionsKey)
  const receiptsAsked = new Set<string>()

  async function load(): Promise<void> {
    store.replaceAll(await api.groups.list())
  }

  ctx.onStop(account.onSignedIn(() => load().catch(warn('reading the groups'))))
  ctx.onStop(
    account.onReconnected(() => {
      receiptsAsked.clear()
      void load().catch(warn('reloading the groups'))
    }),
  )
  ctx.onStop(api.on('group', (g) => store.set(g)))
  ctx.onStop(api.on('groupRemoved', ({ id }) => store.drop(id)))
  ctx.onStop(api.on('groupReceipts', (c) => store.setReceipts(c)))
  // A mention is news until its conversation is read: opened here, or read elsewhere (its count drops to 0).
  const conversationsStore = useConversationsStore(ctx.pinia)
  ctx.onStop(
    api.on('groupMention', (m) => {
      if (!(conversationsStore.selectedId === m.conversationId && windowHasFocus())) store.addMention(m.conversationId, m.messageId)
    }),
  )
  ctx.onStop(
    watch(
      () => conversationsStore.selectedId,
      (id) => {
        if (id) store.clearMentions(id)
      },
    ),
  )
  ctx.onStop(
    watch(
      () => Object.keys(store.mentioned).map((id) => [id, conversationsStore.byId[id]?.unread ?? 0] as const),
      (now, before) => {
        const was = new Map(before)
        for (const [id, unread] of now) if (unread === 0 && (was.get(id) ?? 0) > 0) store.clearMentions(id)
      },
    ),
  )

  const update = async (p: Promise<GroupSummary>): Promise<void> => {
    store.set(await p)
  }

  ctx.provide(GroupsActionsKey, {
    async create(input) {
      const g = await api.groups.create(input)
      store.set(g)
      conversations.select(g.conversationId)
      return g
    },
    async invite(groupId, users) {
      // One at a time: each answer is the group with one more invitee, the last one the newest.
      for (const user of users) store.set(await api.groups.invite(groupId, user))
    },
    async accept(groupId) {
      const g = await api.groups.accept(groupId)
      store.set(g)
      conversations.select(g.conversationId)
    },
    async decline(groupId) {
      await api.groups.decline(groupId)
      store.drop(groupId)
    },
    leave: (groupId) => update(api.groups.leave(groupId)),
    remove: (groupId, user) => update(api.groups.remove(groupId, user)),
    rename: (groupId, name) => update(api.groups.rename(groupId, name)),
    addAdmin: (groupId, user) => update(api.groups.addAdmin(groupId, user)),
    setAvatar: (groupId, base64) => update(api.groups.setAvatar(groupId, base64 === null ? null : { base64 })),
    setMuted: (groupId, muted) => update(api.groups.setMuted(groupId, muted)),
    watchReceipts(messageId) {
      if (receiptsAsked.has(messageId)) return
      receiptsAsked.add(messageId)
      api.groups
        .receiptCounts(messageId)
        .then((c) => {
          // An event that came in meanwhile is at least as new.
          if (!store.receipts[messageId]) store.setReceipts(c)
        })
        .catch((err: unknown) => {
          receiptsAsked.delete(messageId)
          warn('reading the receipt counts')(err)
        })
    },
  })
}
