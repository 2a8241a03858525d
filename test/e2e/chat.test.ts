/**
 * Two people chat through the real renderer in Chromium, each with their own
 * engine + web host, over a real Mosquitto: first-run set-up, a new conversation,
 * multi-line and hostile text, unread counts, replies, a restart with history,
 * and a message delivered while the recipient was offline.
 *
 * The tests in this file run in order and share state (one conversation).
 */
import { describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { useBrowserLab } from '../helpers/browser-lab'
import { eventually, screenshotPath } from '../helpers/e2e'
import { befriend, conversationWith, messages, openConversation, send, shownTexts, startConversation, statuses, waitConnected } from '../helpers/ui'

const HELLO = 'Hello Bob, this is Alice.'
const MULTI_LINE_1 = 'Two lines, the second one hostile:'
const MULTI_LINE_2 = '<img src=x onerror=alert(1)> & <b>not bold</b>'
const MULTI = `${MULTI_LINE_1}\n${MULTI_LINE_2}`
const REPLY = 'Hi Alice! Got both — nothing popped up.'
const WHILE_AWAY = 'Sent while you were offline.'

const { users, openUser, setUp, startNode } = useBrowserLab()

/** Outgoing statuses, oldest first: sent (the broker has it), delivered (bob's Parley has it) or read. */
async function expectStatuses(page: Page, expected: string[]): Promise<void> {
  await eventually(async () => expect(await statuses(page)).toEqual(expected), 20_000)
}

async function assertNoInjectedMarkup(page: Page): Promise<void> {
  expect(await page.locator('[data-testid="message-text"] img, [data-testid="message-text"] b').count()).toBe(0)
  expect(await page.locator('img[src="x"]').count()).toBe(0)
}

describe('two people chat in the browser over Mosquitto', () => {
  it('alice and bob set up through the first-run screen', async () => {
    const alice = await openUser('alice')
    const bob = await openUser('bob')
    await setUp(alice, 'setup.png')
    await setUp(bob)
    await befriend(alice, bob)
  })

  it('alice starts a conversation with bob and sends a plain and a multi-line message', async () => {
    const { page } = users.alice!
    await startConversation(page, 'bob')

    await send(page, HELLO)
    await send(page, MULTI)
    await eventually(async () => expect(await shownTexts(page, 'out')).toEqual([HELLO, MULTI]))
    // bob's Parley stores them (and says so) while his window shows no conversation.
    await expectStatuses(page, ['delivered', 'delivered'])
    await assertNoInjectedMarkup(page)
  })

  it('bob sees the new conversation with an unread count and reads the text exactly', async () => {
    const { page } = users.bob!
    const item = conversationWith(page, 'alice')
    await item.waitFor({ state: 'visible' })
    await eventually(async () => expect((await item.getByTestId('unread-count').innerText()).trim()).toBe('2'))
    await eventually(async () => expect(await item.getByTestId('conversation-last').innerText()).toContain(MULTI_LINE_1))
    await page.screenshot({ path: screenshotPath('bob-unread.png') })

    await openConversation(page, 'alice')
    await eventually(async () => expect(await shownTexts(page, 'in')).toEqual([HELLO, MULTI]))
    // Exactly the text, newline included; the markup stays text.
    const raw = await messages(page, 'in').getByTestId('message-text').allTextContents()
    expect(raw.map((t) => t.replace(/\r/g, ''))).toEqual([HELLO, MULTI])
    await assertNoInjectedMarkup(page)
    expect(users.bob!.watch.dialogs).toEqual([])
    // Reading the conversation clears its unread count.
    await eventually(async () => {
      const badge = item.getByTestId('unread-count')
      if ((await badge.count()) > 0 && (await badge.isVisible())) expect((await badge.innerText()).trim()).toMatch(/^0?$/)
    })
  })

  it('bob replies and alice sees the reply; outgoing messages end as sent', async () => {
    const bob = users.bob!.page
    const alice = users.alice!.page
    await send(bob, REPLY)
    await eventually(async () => expect(await shownTexts(alice, 'in')).toEqual([REPLY]))
    await eventually(async () => expect(await shownTexts(alice)).toEqual([HELLO, MULTI, REPLY]))
    // Each has the conversation open: what the other sent is read.
    await expectStatuses(alice, ['read', 'read'])
    await expectStatuses(bob, ['read'])
    for (const u of [users.alice!, users.bob!]) {
      const ids = await messages(u.page).evaluateAll((els) => els.map((e) => e.getAttribute('data-id')))
      expect(new Set(ids).size, `${u.name}: distinct data-id per message`).toBe(3)
      expect(ids.every((id) => typeof id === 'string' && id.length > 0)).toBe(true)
    }
    expect(await bob.getByTestId('day-separator').count()).toBeGreaterThanOrEqual(1)
    await assertNoInjectedMarkup(alice)
    await alice.screenshot({ path: screenshotPath('alice-chat.png') })
    await bob.screenshot({ path: screenshotPath('bob-chat.png') })
    expect(users.alice!.watch.errors, 'alice: uncaught page errors').toEqual([])
    expect(users.bob!.watch.errors, 'bob: uncaught page errors').toEqual([])
  })

  it('bob restarts: history is still there and a message sent while he was away arrives', async () => {
    const bob = users.bob!
    const alice = users.alice!.page
    await bob.node.stop()

    // Offline delivery: the broker keeps it in bob's persistent session.
    await send(alice, WHILE_AWAY)
    await expectStatuses(alice, ['read', 'read', 'sent'])

    const node = await startNode('bob')
    bob.node = node
    await bob.page.goto(node.host.url)
    await bob.page.getByTestId('app-shell').waitFor({ state: 'visible' })
    expect(await bob.page.getByTestId('setup-user').count(), 'no set-up screen after a restart').toBe(0)
    await eventually(async () => expect(await bob.page.getByTestId('me').innerText()).toContain('bob'))
    await waitConnected(bob.page)

    await openConversation(bob.page, 'alice')
    await eventually(async () => expect(await shownTexts(bob.page)).toEqual([HELLO, MULTI, REPLY, WHILE_AWAY]))
    const directions = await messages(bob.page).evaluateAll((els) => els.map((e) => e.getAttribute('data-direction')))
    expect(directions).toEqual(['in', 'in', 'out', 'in'])
    await expectStatuses(bob.page, ['read'])
    await expectStatuses(alice, ['read', 'read', 'read'])
    await assertNoInjectedMarkup(bob.page)
    await bob.page.screenshot({ path: screenshotPath('bob-after-restart.png') })
  })
})
