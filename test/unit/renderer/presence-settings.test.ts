/**
 * The presence settings in the renderer over a fake API: the idle watcher follows
 * the stored "away after N minutes", restarts when it changes (saying "back" first
 * if it had said idle), and appearing offline re-reads what others see.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { Pinia } from 'pinia'
import { defineFeature } from '../../../src/renderer/src/features/feature'
import { setupAccount } from '../../../src/renderer/src/features/account/io'
import { PresenceActionsKey, setupPresence, type PresenceActions } from '../../../src/renderer/src/features/presence/io'
import { usePresenceStore } from '../../../src/renderer/src/features/presence/store'
import { fakeApi, fakePage } from './fake-api'
import { installOver } from './install-features'

vi.mock('../../../src/renderer/src/features/account/index.ts', async () => ({
  ...(await import('../../../src/renderer/src/features/account/io')),
  ...(await import('../../../src/renderer/src/features/account/store')),
}))

const MINUTE = 60_000

describe('presence settings in the renderer', () => {
  let fake: ReturnType<typeof fakeApi>
  let pinia: Pinia
  let actions: PresenceActions
  let stop: () => void

  beforeEach(async () => {
    vi.useFakeTimers()
    fakePage()
    fake = fakeApi()
    fake.api.presence.settings.mockResolvedValue({ awayAfterMinutes: 2, appearOffline: false })
    const installed = installOver(fake.parley, [
      defineFeature({ name: 'account', setup: setupAccount }),
      defineFeature({ name: 'presence', dependsOn: ['account'], setup: setupPresence }),
    ])
    pinia = installed.pinia
    stop = installed.stop
    await installed.start()
    await vi.waitFor(() => expect(usePresenceStore(pinia).settings).not.toBeNull())
    actions = installed.use(PresenceActionsKey)
  })

  afterEach(() => {
    stop()
    vi.unstubAllGlobals()
    vi.useRealTimers()
  })

  it('goes idle after the stored minutes, and follows a change at once', async () => {
    const idleReports = () => fake.api.presence.reportIdle.mock.calls.map(([idle]) => idle)
    vi.advanceTimersByTime(2 * MINUTE - 1000)
    expect(idleReports()).toEqual([])
    vi.advanceTimersByTime(1000)
    expect(idleReports()).toEqual([true])

    fake.api.presence.setSettings.mockResolvedValue({ awayAfterMinutes: 10, appearOffline: false })
    await actions.setSettings({ awayAfterMinutes: 10 })
    expect(fake.api.presence.setSettings).toHaveBeenCalledWith({ awayAfterMinutes: 10 })
    expect(usePresenceStore(pinia).settings).toEqual({ awayAfterMinutes: 10, appearOffline: false })
    // The new watcher starts "active", so the engine hears that first.
    expect(idleReports()).toEqual([true, false])
    vi.advanceTimersByTime(10 * MINUTE - 1000)
    expect(idleReports()).toEqual([true, false])
    vi.advanceTimersByTime(1000)
    expect(idleReports()).toEqual([true, false, true])
  })

  it('appearing offline re-reads what others see', async () => {
    fake.api.presence.setSettings.mockResolvedValue({ awayAfterMinutes: 2, appearOffline: true })
    fake.api.presence.mine.mockResolvedValue({ mode: 'auto', idle: false, state: 'offline' })
    await actions.setSettings({ appearOffline: true })
    expect(usePresenceStore(pinia).mine).toEqual({ mode: 'auto', idle: false, state: 'offline' })
    expect(usePresenceStore(pinia).settings?.appearOffline).toBe(true)
  })
})
