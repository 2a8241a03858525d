import type { IPublishPacket } from 'mqtt'
import { groupFilter, groupTopic } from '../../../../shared/protocol/topics'
import type { Account, FeatureContext } from '../../kernel/feature'
import type { AfterCommit, Route } from '../../mqtt/router'
import type { GroupRow, GroupStore, StoredMembership } from './store'

/** Members get everything, invitees only the metadata (to see that it lists them). */
export class GroupSubscriptions {
  constructor(
    private readonly ctx: Pick<FeatureContext, 'account' | 'addRoute' | 'removeRoute'>,
    private readonly store: GroupStore,
    private readonly handle: (account: Account, packets: readonly IPublishPacket[]) => AfterCommit,
  ) {}

  filterOf(account: Account, row: Pick<GroupRow, 'id' | 'membership'>): string | null {
    if (row.membership === 'member') return groupFilter(account.root, row.id)
    if (row.membership === 'checking' || row.membership === 'invited') return groupTopic(account.root, row.id)
    return null
  }

  route(account: Account, filter: string): Route {
    return {
      filter,
      qos: 1,
      retained: 'accept', // the metadata is retained; retained messages are dropped in the handler
      handle: (packets) => this.handle(account, packets),
    }
  }

  /** What each connection subscribes for my groups. */
  routes(account: Account): Route[] {
    return this.store.all().flatMap((row) => {
      const f = this.filterOf(account, row)
      return f ? [this.route(account, f)] : []
    })
  }

  /** Moves the subscription of a group whose membership changed (new one first, so nothing falls between). */
  follow(id: string, before: StoredMembership | null): void {
    const account = this.ctx.account()
    if (!account) return
    const row = this.store.get(id)
    const was = before ? this.filterOf(account, { id, membership: before }) : null
    const now = row ? this.filterOf(account, row) : null
    if (was === now) return
    if (now) this.ctx.addRoute(this.route(account, now))
    if (was) this.ctx.removeRoute(was)
  }
}
