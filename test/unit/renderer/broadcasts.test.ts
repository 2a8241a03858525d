/**
 * The renderer's broadcasts feature over a fake API, installed as the app installs
 * it: the regions and admin flag it shows (after sign-in and on events), a
 * region's conversation read-only for everyone but an admin, and its header line.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { BroadcastSettings } from '../../../src/shared/contract'
import { ParleyError } from '../../../src/shared/rpc'
import { defineFeature } from '../../../src/renderer/src/features/feature'
import { setupAccount } from '../../../src/renderer/src/features/account/io'
import { BroadcastsActionsKey, READ_ONLY, setupBroadcasts } from '../../../src/renderer/src/features/broadcasts/io'
import { useBroadcastsStore } from '../../../src/renderer/src/features/broadcasts/store'
import { fakeApi, fakePage } from './fake-api'
import { installOver, type Installed } from './install-features'

vi.mock('../../../src/renderer/src/features/account/index.ts', async () => ({
  ...(await import('../../../src/renderer/src/features/account/io')),
  ...(await import('../../../src/renderer/src/features/account/store')),
}))

const FEATURES = [defineFeature({ name: 'account', setup: setupAccount }), defineFeature({ name: 'broadcasts', dependsOn: ['account'], setup: setupBroadcasts })]
const SYSTEM = { id: 'system:eu', kind: 'system', peer: 'eu' } as const
const DM = { id: 'dm:bob', kind: 'dm', peer: 'bob' } as const

describe('renderer: regional broadcasts', () => {
  let fake: ReturnType<typeof fakeApi>
  let settings: BroadcastSettings
  let installed: Installed

  beforeEach(async () => {
    fakePage()
    fake = fakeApi()
    settings = { regions: ['eu'], admin: false }
    Object.assign(fake.api, {
      broadcasts: {
        settings: vi.fn(async () => settings),
        setRegions: vi.fn(async (regions: string[]) => {
          if (regions.includes('bad/one')) throw new ParleyError('Not a region name: A name cannot contain "/", "+" or "#".', 'invalid-argument')
          return (settings = { ...settings, regions: [...regions].sort() })
        }),
      },
    })
    installed = installOver(fake.parley, FEATURES)
    await installed.start()
  })
  afterEach(() => {
    installed.stop()
    vi.unstubAllGlobals()
  })

  it('shows the regions read at sign-in, and follows a change made elsewhere (the CLI) through the event', async () => {
    const store = useBroadcastsStore(installed.pinia)
    await vi.waitFor(() => expect(store.loaded).toBe(true))
    expect(store.regions).toEqual(['eu'])
    fake.emit('broadcastSettings', { regions: ['eu', 'us'], admin: true })
    expect([store.regions, store.admin]).toEqual([['eu', 'us'], true])
  })

  it('changes the regions; a refusal leaves them as they were and says why', async () => {
    const store = useBroadcastsStore(installed.pinia)
    const actions = installed.use(BroadcastsActionsKey)
    await actions.setRegions(['us', 'eu'])
    expect(store.regions).toEqual(['eu', 'us'])
    await expect(actions.setRegions(['eu', 'bad/one'])).rejects.toThrow('Not a region name')
    expect(store.regions).toEqual(['eu', 'us'])
  })

  it("a region's conversation is read-only with a reason unless this account is an admin; other conversations are not touched", async () => {
    const store = useBroadcastsStore(installed.pinia)
    await vi.waitFor(() => expect(store.loaded).toBe(true))
    const x = installed.extensions
    expect(x.text('composer.readOnly', { conversation: SYSTEM })).toBe(READ_ONLY)
    expect(x.text('composer.readOnly', { conversation: DM })).toBeNull()
    expect(x.text('conversation.status', { conversation: SYSTEM, now: 0 })).toBe('System · regional broadcasts')
    expect(x.text('conversation.status', { conversation: DM, now: 0 })).toBeNull()
    fake.emit('broadcastSettings', { regions: ['eu'], admin: true })
    expect(x.text('composer.readOnly', { conversation: SYSTEM })).toBeNull()
  })
})
