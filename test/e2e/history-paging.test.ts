/**
 * A long conversation in the virtualized message list: it opens at the first
 * unread with the "N new messages" divider, scrolling up reads older pages without
 * moving what the reader is looking at, the page holds a few dozen bubbles however
 * long the history, and jump-to-latest brings the newest back.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import mqtt, { type MqttClient } from 'mqtt'
import type { Page } from 'playwright-core'
import { encodeEnvelope, textEnvelope } from '../../src/main/core/protocol/codec'
import { useBrowserLab } from '../helpers/browser-lab'
import { eventually, screenshotPath, type ParleyNode } from '../helpers/e2e'

/** Read, then a few new ones on top. */
const OLD = 600
const NEW = 5
const T0 = Date.now() - 2 * 86_400_000
/** One scroll step (px): a fast flick of the wheel. */
const STEP = 300

/** Where a message bubble sits on screen (its top, px), or null when it is not in the DOM. */
async function topOf(page: Page, id: string): Promise<number | null> {
  const bubble = page.locator(`[data-testid="message"][data-id="${id}"]`)
  return (await bubble.count()) ? ((await bubble.boundingBox())?.y ?? null) : null
}

/** The part of the DOM that view() reads (these files are type-checked without the DOM's types). */
interface Box {
  getBoundingClientRect(): { top: number; height: number }
}
interface Scroller extends Box {
  scrollTop: number
  querySelectorAll(selector: string): ArrayLike<Box & { dataset: Record<string, string | undefined> }>
}

/** The scroller's position, and the bubble nearest the middle of the view (its id and top). */
async function view(page: Page): Promise<{ scrollTop: number; id: string; top: number; bubbles: number }> {
  return page.getByTestId('message-scroller').evaluate((el) => {
    const scroller = el as unknown as Scroller
    const box = scroller.getBoundingClientRect()
    const middle = box.top + box.height / 2
    const bubbles = Array.from(scroller.querySelectorAll('[data-testid="message"]'))
    const near = bubbles
      .map((b) => ({ id: b.dataset.id!, top: b.getBoundingClientRect().top }))
      .sort((x, y) => Math.abs(x.top - middle) - Math.abs(y.top - middle))[0]!
    return { scrollTop: scroller.scrollTop, id: near.id, top: near.top, bubbles: bubbles.length }
  })
}

describe('paging through a long conversation', () => {
  const lab = useBrowserLab()
  let bob: ParleyNode
  let page: Page
  let pub: MqttClient
  const ids: string[] = []

  beforeAll(async () => {
    bob = await lab.startHeadless('bob')
    // A plain MQTT publisher is nobody's contact: bob lets anyone's messages into his list.
    await bob.core.services.messageRequests.setAcceptFromAnyone(true)
    pub = await mqtt.connectAsync(lab.broker.url, { clientId: 'history-publisher' })
    const publish = (i: number) => {
      const e = textEnvelope('alice', 'alice-dev', `history ${i}`, i, T0 + i * 60_000)
      ids.push(e.id)
      pub.publish('IMS/bob/Inbox/Msg/alice', encodeEnvelope(e), { qos: 1 })
    }
    for (let i = 1; i <= OLD; i++) publish(i)
    await eventually(async () => expect((await bob.core.services.conversations.list()).find((c) => c.id === 'dm:alice')?.unread).toBe(OLD), 30_000)
    await bob.core.services.conversations.markRead('dm:alice')
    for (let i = OLD + 1; i <= OLD + NEW; i++) publish(i)
    await eventually(async () => expect((await bob.core.services.conversations.list()).find((c) => c.id === 'dm:alice')?.unread).toBe(NEW), 30_000)
    page = await (await lab.browser.newContext({ viewport: { width: 1100, height: 720 } })).newPage()
    page.setDefaultTimeout(15_000)
    await page.goto(bob.host.url)
    await page.getByTestId('app-shell').waitFor()
  })

  afterAll(async () => {
    await pub?.endAsync()
  })

  it('opens at the first unread, below the "5 new messages" divider', async () => {
    await page.locator('[data-testid="conversation-item"][data-peer="alice"]').click()
    const divider = page.getByTestId('unread-divider')
    await expect.poll(() => divider.textContent()).toBe(`${NEW} new messages`)
    // The divider sits right above the first unread message, both in view.
    const first = page.locator(`[data-testid="message"][data-id="${ids[OLD]}"]`)
    await first.waitFor({ state: 'visible' })
    const [d, m] = [await divider.boundingBox(), await first.boundingBox()]
    expect(m!.y - (d!.y + d!.height)).toBeGreaterThanOrEqual(0)
    expect(m!.y - (d!.y + d!.height)).toBeLessThan(24)
    expect(await first.getByTestId('message-text').textContent()).toBe(`history ${OLD + 1}`)
    await page.screenshot({ path: screenshotPath('history-paging-unread.png') })
  })

  it('scrolls up through every older page with what is on screen never jumping, holding only a few dozen bubbles', async () => {
    const scroller = page.getByTestId('message-scroller')
    let most = 0
    let loads = 0
    for (let step = 0; step < 600; step++) {
      const before = await view(page)
      if (before.scrollTop === 0 && (await page.getByTestId('load-older').count()) === 0) break
      const delta = Math.min(STEP, before.scrollTop)
      const olderBefore = await page.getByTestId('load-older').count()
      await scroller.evaluate((el, d) => (el as unknown as { scrollBy(x: number, y: number): void }).scrollBy(0, -d), delta)
      // Long enough for an older page to be read and put in above.
      await page.waitForTimeout(120)
      const top = await topOf(page, before.id)
      // The bubble moved down by the scroll, not by the height of what was put in above it (a page is
      // ~1800 px): within a few pixels, as rows coming into view are measured (35.3 px drawn, 35 guessed).
      expect(top, `bubble ${before.id} after step ${step}`).not.toBeNull()
      expect(Math.abs(top! - (before.top + delta)), `bubble ${before.id} moved ${top! - before.top}px for a ${delta}px scroll at step ${step}`).toBeLessThan(6)
      const after = await view(page)
      if (after.scrollTop > before.scrollTop - delta + 1) loads++
      most = Math.max(most, after.bubbles)
      if (olderBefore && !(await page.getByTestId('load-older').count())) loads++
      // Away from its separator, the day of what is on screen stays at the top.
      if (step === 3) {
        expect(await page.getByTestId('sticky-day').textContent()).toMatch(/\w/)
        await page.screenshot({ path: screenshotPath('history-paging-middle.png') })
      }
    }
    // Reached the very first message, and older pages were read on the way.
    await expect.poll(() => page.getByTestId('message-text').first().textContent()).toBe('history 1')
    expect(await page.getByTestId('load-older').count()).toBe(0)
    expect(loads).toBeGreaterThanOrEqual(5)
    // Virtualized: the DOM holds what is on screen and a margin, not 605 bubbles.
    expect(most).toBeGreaterThan(10)
    expect(most).toBeLessThan(80)
    await page.screenshot({ path: screenshotPath('history-paging-top.png') })
  })

  it('a message arriving while scrolled up is counted on jump-to-latest, which brings the newest back', async () => {
    const e = textEnvelope('alice', 'alice-dev', 'while you were up there', OLD + NEW + 1)
    ids.push(e.id)
    pub.publish('IMS/bob/Inbox/Msg/alice', encodeEnvelope(e), { qos: 1 })
    await expect.poll(() => page.getByTestId('jump-to-latest-count').textContent(), { timeout: 10_000 }).toBe('1')
    // A screen reader hears the new message, and not every older row drawn as the list was scrolled.
    expect(await page.getByTestId('message-scroller').locator('[role="log"]').getAttribute('aria-live')).toBe('off')
    expect(await page.getByTestId('message-announcement').textContent()).toBe('alice: while you were up there')
    // The reader stays where they were.
    expect(await page.getByTestId('message-text').first().textContent()).toBe('history 1')
    await page.getByTestId('jump-to-latest').click()
    const newest = page.locator(`[data-testid="message"][data-id="${ids.at(-1)}"]`)
    await newest.waitFor({ state: 'visible' })
    await expect.poll(() => page.getByTestId('jump-to-latest').count()).toBe(0)
    expect(await page.getByTestId('message').count()).toBeLessThan(80)
  })

  it('a fast wheel up from the newest keeps reading older pages all the way to the first message', async () => {
    // Afresh: only the newest page is held, as when the app has just started.
    await page.reload()
    await page.locator('[data-testid="conversation-item"][data-peer="alice"]').click()
    await page.locator(`[data-testid="message"][data-id="${ids.at(-1)}"]`).waitFor({ state: 'visible' })
    const box = (await page.getByTestId('message-scroller').boundingBox())!
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2)
    // Faster than pages arrive: the view reaches the top while one is on its way, and the wheel
    // goes on at the top where nothing scrolls; the next page must still be read.
    const atFirst = async () => (await page.locator(`[data-testid="message"][data-id="${ids[0]}"]`).count()) === 1 && (await page.getByTestId('load-older').count()) === 0
    for (let i = 0; i < 150 && !(await atFirst()); i++) {
      const before = await view(page)
      await page.mouse.wheel(0, -1200)
      await page.waitForTimeout(40)
      // 1200 px is ~34 one-line messages: pages put in above the view must not carry it further.
      const moved = ids.indexOf(before.id) - ids.indexOf((await view(page)).id)
      expect(moved, `step ${i}: the message in the middle went from ${ids.indexOf(before.id)} to ${ids.indexOf((await view(page)).id)}`).toBeLessThan(45)
    }
    expect(await atFirst()).toBe(true)
    expect(await page.getByTestId('message-text').first().textContent()).toBe('history 1')
  })


  it('a conversation opened at its first unread far back reads newer pages as it is scrolled down, to the newest', async () => {
    const carol: string[] = []
    for (let i = 1; i <= 300; i++) {
      const e = textEnvelope('carol', 'carol-dev', `carol ${i}`, i, T0 + i * 60_000)
      carol.push(e.id)
      pub.publish('IMS/bob/Inbox/Msg/carol', encodeEnvelope(e), { qos: 1 })
    }
    const row = page.locator('[data-testid="conversation-item"][data-peer="carol"]')
    await eventually(async () => expect(await row.getByTestId('unread-count').textContent()).toBe('300'), 30_000)
    await row.click()
    await expect.poll(() => page.getByTestId('unread-divider').textContent()).toBe('300 new messages')
    await page.locator(`[data-testid="message"][data-id="${carol[0]}"]`).waitFor({ state: 'visible' })
    // The window reaches only so far: the newest is not held yet, and the way to it is offered.
    expect(await page.locator(`[data-testid="message"][data-id="${carol.at(-1)}"]`).count()).toBe(0)
    expect(await page.getByTestId('jump-to-latest').count()).toBe(1)
    const box = (await page.getByTestId('message-scroller').boundingBox())!
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2)
    const atNewest = async () => (await page.locator(`[data-testid="message"][data-id="${carol.at(-1)}"]`).count()) === 1 && (await page.getByTestId('jump-to-latest').count()) === 0
    for (let i = 0; i < 100 && !(await atNewest()); i++) {
      const before = await view(page)
      await page.mouse.wheel(0, 600)
      await page.waitForTimeout(60)
      const moved = carol.indexOf((await view(page)).id) - carol.indexOf(before.id)
      expect(moved, `step ${i}`).toBeLessThan(25)
      expect(moved, `step ${i}`).toBeGreaterThanOrEqual(0)
    }
    expect(await atNewest()).toBe(true)
    expect(await page.getByTestId('message').count()).toBeLessThan(80)
  })

})
