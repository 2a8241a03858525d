import { z } from 'zod'
import type { BroadcastSettings } from '../../../../shared/contract'
import { PublishBroadcastSchema } from '../../../../shared/contract'
import { broadcastTopic, RegionListSchema } from '../../../../shared/protocol/broadcasts'
import { conversationId } from '../../../../shared/protocol/conversation-id'
import { ParleyError } from '../../../../shared/rpc'
import { defineFeature, type Account } from '../../kernel/feature'
import type { Route } from '../../mqtt/router'
import type { MessagesApi } from '../messages/api'
import { readBroadcasts } from './inbound'
import { migration0017 } from './migrations/0017_broadcast_regions'
import { RegionStore } from './store'

const ADMIN_PREF = 'broadcasts.admin'
const NOT_ADMIN = 'Only accounts flagged admin publish broadcasts (parley admin on); the broker decides who really may.'

/**
 * Regional broadcasts (seed 000 scenario 5): the account follows regions, each a
 * subscription to `R/System/{region}` and a read-only conversation
 * `system:{region}` whose messages are the broadcasts. An account flagged admin
 * may publish: through the messages feature (a transport for kind 'system', no
 * re-offer), so a broker refusal marks the message failed with its reason.
 */
export const broadcastsFeature = defineFeature({
  name: 'broadcasts',
  dependsOn: ['messages'],
  migrations: [migration0017],
  create(ctx) {
    const messages = ctx.use<MessagesApi>('messages')
    const regions = new RegionStore(ctx.db)
    const isAdmin = (): boolean => ctx.prefs.get(ADMIN_PREF, z.boolean(), false)
    const settings = (): BroadcastSettings => ({ regions: regions.list(), admin: isAdmin() })

    const route = (account: Account, region: string): Route => ({
      filter: broadcastTopic(account.root, region),
      qos: 1,
      // A retained broadcast would come back on every subscription: announcements are queued, not retained.
      retained: 'drop',
      handle: (packets) => {
        const stored = messages.storeForeign(readBroadcasts({ account, codec: ctx.codec, log: ctx.log }, packets))
        if (stored.length) return () => messages.announce(stored)
      },
    })

    messages.registerTransport('system', {
      topic: (account, region) => {
        if (!isAdmin()) throw new ParleyError(NOT_ADMIN, 'failed')
        return broadcastTopic(account.root, region)
      },
      // Everyone in the region gets it from their broker session; nobody sends a receipt.
      reoffer: false,
    })

    const changed = (): BroadcastSettings => {
      const s = settings()
      ctx.events.emit('broadcastSettings', s)
      return s
    }

    return {
      routes: (account) => regions.list().map((r) => route(account, r)),
      service: {
        async regions() {
          return regions.list()
        },
        async settings() {
          return settings()
        },
        async setRegions(list) {
          const account = ctx.requireAccount()
          const parsed = RegionListSchema.safeParse(list)
          if (!parsed.success) throw new ParleyError(`Not a region name: ${parsed.error.issues[0]?.message ?? 'invalid'}`, 'invalid-argument')
          const { added, removed } = regions.replace(parsed.data)
          for (const r of removed) ctx.removeRoute(broadcastTopic(account.root, r))
          for (const r of added) ctx.addRoute(route(account, r))
          return changed()
        },
        async setAdmin(admin) {
          ctx.prefs.set(ADMIN_PREF, z.boolean().parse(admin))
          return changed()
        },
        async publish(input) {
          const { region, text } = PublishBroadcastSchema.parse(input)
          if (!isAdmin()) throw new ParleyError(NOT_ADMIN, 'failed')
          return messages.send(conversationId('system', region), text)
        },
      },
    }
  },
})
