/**
 * A burst, as after a long time offline: thousands of messages for a
 * conversation that is not open. Every one is counted, and opening it shows the
 * first of them (all are new) with the rest a scroll away — never thousands of
 * bubbles at once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import mqtt, { type MqttClient } from 'mqtt'
import type { Page } from 'playwright-core'
import { encodeEnvelope, textEnvelope } from '../../src/main/core/protocol/codec'
import { useBrowserLab } from '../helpers/browser-lab'
import { eventually, type ParleyNode } from '../helpers/e2e'

const N = 2000

describe('a burst of messages', () => {
  const lab = useBrowserLab()
  let bob: ParleyNode
  let page: Page
  let pub: MqttClient

  beforeAll(async () => {
    bob = await lab.startHeadless('bob')
    // Plain MQTT publishers are nobody's contacts: bob lets anyone's messages into his list (Settings › Privacy).
    await bob.core.services.messageRequests.setAcceptFromAnyone(true)
    page = await (await lab.browser.newContext({ viewport: { width: 1100, height: 720 } })).newPage()
    await page.goto(bob.host.url)
    await page.getByTestId('app-shell').waitFor()
    pub = await mqtt.connectAsync(lab.broker.url, { clientId: 'burst-publisher' })
  })

  afterAll(async () => {
    await pub?.endAsync()
  })

  it('counts every message, and opens at the first of them with the rest a scroll away', async () => {
    for (let i = 1; i <= N; i++) pub.publish('IMS/bob/Inbox/Msg/alice', encodeEnvelope(textEnvelope('alice', 'burst', `burst ${i}`, i, 1_700_000_000_000 + i)), { qos: 1 })
    const row = page.locator('[data-testid="conversation-item"][data-peer="alice"]')
    await eventually(async () => expect(await row.getByTestId('unread-count').textContent()).toBe(String(N)), 30_000)
    await row.click()
    // All of them are new: the conversation opens at the first, under the divider, not at the newest.
    await expect.poll(() => page.getByTestId('unread-divider').textContent()).toBe(`${N} new messages`)
    await expect.poll(() => page.getByTestId('message-text').first().textContent()).toBe('burst 1')
    expect(await page.getByTestId('message').count()).toBeLessThan(100)
    expect((await bob.core.services.messages.page({ conversationId: 'dm:alice', limit: 500 })).hasMore).toBe(true)
    // The newest is one click away, and still only a screenful of bubbles is drawn.
    await page.getByTestId('jump-to-latest').click()
    await expect.poll(() => page.getByTestId('message-text').last().textContent()).toBe(`burst ${N}`)
    expect(await page.getByTestId('message').count()).toBeLessThan(100)
  })
})
