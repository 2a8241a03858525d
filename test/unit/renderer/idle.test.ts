import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { IDLE_AFTER_MS, watchIdle } from '../../../src/renderer/src/features/presence/idle'
import { fakePage } from './fake-api'

describe('idle detection', () => {
  let page: ReturnType<typeof fakePage>
  beforeEach(() => {
    vi.useFakeTimers()
    page = fakePage()
  })
  afterEach(() => {
    vi.useRealTimers()
    vi.unstubAllGlobals()
  })

  it('reports idle after five minutes without input, and back on the next input, once each', () => {
    const reports: boolean[] = []
    const stop = watchIdle((idle) => reports.push(idle))
    vi.advanceTimersByTime(IDLE_AFTER_MS - 10_000)
    page.win.dispatchEvent(new Event('keydown'))
    vi.advanceTimersByTime(IDLE_AFTER_MS - 1000)
    expect(reports).toEqual([])
    vi.advanceTimersByTime(1000)
    expect(reports).toEqual([true])
    for (let i = 0; i < 50; i++) page.win.dispatchEvent(new Event('pointermove'))
    expect(reports).toEqual([true, false])
    stop()
    vi.advanceTimersByTime(2 * IDLE_AFTER_MS)
    expect(reports).toEqual([true, false])
  })

  it('counts a hidden page as idle once it has been hidden that long', () => {
    const reports: boolean[] = []
    const stop = watchIdle((idle) => reports.push(idle))
    vi.advanceTimersByTime(60_000)
    page.doc.visibilityState = 'hidden'
    page.doc.dispatchEvent(new Event('visibilitychange'))
    vi.advanceTimersByTime(IDLE_AFTER_MS)
    expect(reports).toEqual([true])
    page.doc.visibilityState = 'visible'
    page.doc.dispatchEvent(new Event('visibilitychange'))
    expect(reports).toEqual([true, false])
    stop()
  })
})
