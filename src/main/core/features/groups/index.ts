import { inboxFilter } from '../../../../shared/protocol/topics'
import { defineFeature } from '../../kernel/feature'
import type { ConversationsApi } from '../conversations'
import type { MessagesApi } from '../messages/api'
import type { ProfilesApi } from '../profiles/api'
import { createCore } from './core'
import { GroupInbound } from './inbound'
import { GroupInvites } from './invites'
import { migration0015 } from './migrations/0015_groups'
import { GroupReceipts } from './receipts'
import { groupsService } from './service'
import { GroupStore } from './store'
import { GroupSubscriptions } from './subscriptions'
import { registerGroupTransport } from './transport'

export { newGroupId } from './ids'

/**
 * Groups (issue 9): the metadata is retained on `R/{group}` by an admin and kept
 * by version; members publish to `R/{group}/{member}` and subscribe
 * `R/{group}/#`, so one publish reaches every member's session. Invites and
 * answers go through inboxes (`R/{to}/Inbox/Group/{from}`), receipts for group
 * messages to `R/{sender}/Inbox/GRcpt/{member}` and are shown as counts.
 * docs/protocol.md, "Groups", has the rules.
 */
export const groupsFeature = defineFeature({
  name: 'groups',
  dependsOn: ['conversations', 'messages', 'profiles'],
  migrations: [migration0015],
  create(ctx) {
    const conversations = ctx.use<ConversationsApi>('conversations')
    const messages = ctx.use<MessagesApi>('messages')
    const profiles = ctx.use<ProfilesApi>('profiles')
    const store = new GroupStore(ctx.db)
    // The subscriptions hand group packets to `inbound`, which needs them back to move a subscription.
    const subscriptions = new GroupSubscriptions(ctx, store, (account, packets) => inbound.handle(account, packets))
    const core = createCore(ctx, store, conversations, subscriptions)
    const invites = new GroupInvites(core)
    const receipts = new GroupReceipts(core, messages)
    const inbound = new GroupInbound(core, messages, receipts)
    registerGroupTransport(core, messages)

    return {
      routes: (account) => [
        { filter: inboxFilter(account.root, 'Group', account.user), qos: 1, retained: 'drop', handle: (ps) => invites.handle(account, ps) },
        { filter: inboxFilter(account.root, 'GRcpt', account.user), qos: 1, retained: 'drop', handle: (ps) => receipts.handle(account, ps) },
        ...subscriptions.routes(account),
      ],
      onConnected() {
        for (const row of store.toPublish()) core.publishMeta(row.id)
        invites.checkPending()
      },
      close() {
        invites.close()
      },
      service: groupsService(core, invites, profiles),
    }
  },
})
