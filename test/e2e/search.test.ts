/**
 * Search in the real renderer in Chromium, over a real Mosquitto: bob has a long
 * history with alice (an old message buried under ~200 newer ones) and a short one
 * with carol. Ctrl+Shift+F finds a word of the old message with the word marked,
 * Enter opens alice's conversation at that message (jumped to, in view); the hard
 * cases (café/cafe, C++, multi-agent, 北京, part of a word) are found; Ctrl+F inside
 * a conversation searches only it; and with the broker stopped, search still works.
 *
 * The tests in this file run in order and share state.
 */
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { useBrowserLab } from '../helpers/browser-lab'
import { eventually, screenshotPath } from '../helpers/e2e'
import { befriend, conversationWith, openConversation, type UiUser } from '../helpers/ui'

const OLD = 'The zeppelin inventory is in the blue folder on the shared drive.'
const SPECIAL = [
  'Meet at the café near the station?',
  'I rewrote the parser in C++ last night.',
  'Our multi-agent planner finally converges.',
  '下周我在北京开会。',
]
const FILLER = 200

const lab = useBrowserLab()
const { users } = lab
let oldId = ''

const input = (page: Page) => page.getByTestId('search-input')
const results = (page: Page) => page.getByTestId('search-result')

/** Types a query and waits until what is shown answers it (results, or the empty state). */
async function search(page: Page, text: string): Promise<void> {
  await input(page).fill(text)
  const panel = page.getByTestId('search-panel')
  await eventually(async () => {
    expect(await panel.getAttribute('data-answered')).toBe(text)
    expect(await panel.getAttribute('aria-busy')).toBe('false')
  })
}

/** The marked words of every result shown. */
async function marks(page: Page): Promise<string[]> {
  return results(page).locator('mark').allInnerTexts()
}

async function snippets(page: Page): Promise<string[]> {
  return page.getByTestId('search-snippet').allInnerTexts()
}

describe('search in the browser', () => {
  it('bob has a long history with alice and a short one with carol', async () => {
    const alice = await lab.startUser('alice')
    const bob = await lab.startUser('bob')
    const carolNode = await lab.startHeadless('carol')
    const carol = { name: 'carol', node: carolNode } as UiUser
    await befriend(alice, bob)
    await befriend(carol, bob)

    const send = async (from: UiUser, to: string, text: string) => {
      const c = await from.node.core.services.conversations.open(to)
      return from.node.core.services.messages.send({ conversationId: c.id, text })
    }
    oldId = (await send(alice, 'bob', OLD)).id
    for (const text of SPECIAL) await send(alice, 'bob', text)
    for (let i = 0; i < FILLER; i++) await send(i % 3 === 0 ? bob : alice, i % 3 === 0 ? 'alice' : 'bob', `Filler message number ${i} about nothing much.`)
    await send(carol, 'bob', 'Coffee at the café tomorrow? — carol')

    // Everything arrived and is indexed on bob's side.
    await eventually(async () => {
      const hits = await bob.node.core.services.search.search({ text: 'carol' })
      expect(hits.hits.length).toBe(1)
      const page = await bob.node.core.services.messages.page({ conversationId: 'dm:alice', limit: 200 })
      expect(page.messages.length).toBe(FILLER)
      expect((await bob.node.core.services.search.status()).pending).toBe(0)
    }, 30_000)
    await conversationWith(bob.page, 'alice').waitFor({ state: 'visible' })
  })

  it('Ctrl+Shift+F opens search across all conversations, with tips before anything is typed', async () => {
    const { page } = users.bob!
    await page.keyboard.press('Control+Shift+F')
    await eventually(async () => expect(await input(page).evaluate((el) => el.matches(':focus'))).toBe(true))
    await page.getByTestId('search-tips').waitFor({ state: 'visible' })
    expect(await page.getByTestId('search-scope').count()).toBe(0)
    expect(await page.getByRole('search').count()).toBe(1)
    await page.screenshot({ path: screenshotPath('search-tips.png') })
  })

  it('finds a word of the old message, marked in the snippet; Enter opens it in its conversation, jumped to', async () => {
    const { page } = users.bob!
    await search(page, 'ZEPPELIN')
    await eventually(async () => expect(await results(page).count()).toBe(1))
    const first = results(page).first()
    expect(await first.getAttribute('data-message-id')).toBe(oldId)
    expect(await first.getAttribute('aria-selected')).toBe('true')
    expect(await marks(page)).toEqual(['zeppelin'])
    expect(await first.getByTestId('search-snippet').innerText()).toContain('The zeppelin inventory')
    expect(await first.getByTestId('search-result-sender').innerText()).toBe('alice')
    expect(await first.getByTestId('search-result-where').innerText()).toMatch(/Direct chat · alice/)
    await page.screenshot({ path: screenshotPath('search-results.png') })

    await input(page).press('Enter')
    await eventually(async () => expect(await page.getByTestId('chat-title').innerText()).toContain('alice'))
    const jumped = page.locator(`[data-testid="message"][data-id="${oldId}"]`)
    await eventually(async () => expect(await jumped.getAttribute('data-jumped')).not.toBeNull())
    await eventually(async () => expect(await jumped.isVisible()).toBe(true))
    // In view: inside the message list's visible part, not merely rendered somewhere above it.
    await eventually(async () => {
      const box = await jumped.boundingBox()
      const list = await page.getByTestId('message-scroller').boundingBox()
      expect(box && list && box.y + box.height > list.y && box.y < list.y + list.height).toBe(true)
    })
    await page.screenshot({ path: screenshotPath('search-jumped.png') })
  })

  it('finds café and cafe, C++, multi-agent, 北京 and part of a word; hostile input is only text', async () => {
    const { page } = users.bob!
    await page.keyboard.press('Control+Shift+F')
    await search(page, 'café')
    await eventually(async () => expect(await results(page).count()).toBe(2))
    // Newest first: carol wrote last.
    expect(await results(page).first().getByTestId('search-result-sender').innerText()).toBe('carol')
    expect((await marks(page)).map((m) => m.toLowerCase())).toEqual(['café', 'café'])
    await search(page, 'cafe')
    await eventually(async () => expect(await results(page).count()).toBe(2))
    await search(page, 'C++')
    expect(await snippets(page)).toEqual([expect.stringContaining('parser in C++')])
    expect(await marks(page)).toEqual(['C++'])
    await search(page, 'multi-agent')
    expect(await marks(page)).toEqual(['multi-agent'])
    await search(page, '北京')
    expect(await marks(page)).toEqual(['北京'])
    await search(page, 'ppeli')
    expect(await marks(page)).toEqual(['ppeli'])
    for (const hostile of ['"', 'C++ AND *', 'NEAR(a b)', '<b>x</b>', '""""', ')']) {
      await input(page).fill(hostile)
      await page.waitForTimeout(250)
      expect(await page.getByTestId('search-error').count()).toBe(0)
    }
    await search(page, 'qwertyuiopasdf')
    await page.getByTestId('search-empty').waitFor({ state: 'visible' })
    await page.screenshot({ path: screenshotPath('search-empty.png') })
    // What the engine did not understand is said, and the rest still searched.
    await search(page, 'zeppelin has:photo')
    expect(await page.getByTestId('search-notes').innerText()).toContain('has:link')
    expect(await results(page).count()).toBe(1)
    expect(users.bob!.watch.errors).toEqual([])
  })

  it('more results load as the list is scrolled to its end', async () => {
    const { page } = users.bob!
    await search(page, 'filler')
    await eventually(async () => expect(await results(page).count()).toBe(30))
    await page.getByTestId('search-more').scrollIntoViewIfNeeded()
    await eventually(async () => expect(await results(page).count()).toBe(60))
    const ids = await results(page).evaluateAll((els) => els.map((e) => e.getAttribute('data-message-id')))
    expect(new Set(ids).size).toBe(60)
    await page.getByTestId('search-more').click()
    await eventually(async () => expect(await results(page).count()).toBeGreaterThanOrEqual(90))
  })

  it('↑/↓ move the selection; a click opens a result too', async () => {
    const { page } = users.bob!
    await search(page, 'Filler message number 1')
    await eventually(async () => expect(await results(page).count()).toBeGreaterThan(3))
    const selected = () => results(page).evaluateAll((els) => els.findIndex((e) => e.getAttribute('aria-selected') === 'true'))
    await eventually(async () => expect(await selected()).toBe(0))
    await input(page).press('ArrowDown')
    await input(page).press('ArrowDown')
    await eventually(async () => expect(await selected()).toBe(2))
    await input(page).press('ArrowUp')
    await eventually(async () => expect(await selected()).toBe(1))
    const active = await input(page).getAttribute('aria-activedescendant')
    expect(await results(page).nth(1).getAttribute('id')).toBe(active)
    const id = await results(page).nth(3).getAttribute('data-message-id')
    await results(page).nth(3).click()
    await eventually(async () => expect(await page.locator(`[data-testid="message"][data-id="${id}"]`).getAttribute('data-jumped')).not.toBeNull())
  })

  it('Ctrl+F in a conversation searches only it; Esc closes', async () => {
    const { page } = users.bob!
    await page.keyboard.press('Escape')
    await eventually(async () => expect(await page.getByTestId('search-panel').count()).toBe(0))
    await openConversation(page, 'alice')
    await page.getByTestId('composer').focus()
    await page.keyboard.press('Control+f')
    await eventually(async () => expect(await page.getByTestId('search-scope').innerText()).toContain('alice'))
    await search(page, 'café')
    await eventually(async () => expect(await results(page).count()).toBe(1))
    expect(await results(page).first().getAttribute('data-conversation-id')).toBe('dm:alice')
    await page.screenshot({ path: screenshotPath('search-in-conversation.png') })
    // "Search all" widens it to carol's too.
    await page.getByTestId('search-widen').click()
    await eventually(async () => expect(await results(page).count()).toBe(2))
    await input(page).press('Escape')
    await eventually(async () => expect(await page.getByTestId('search-panel').count()).toBe(0))
  })

  it('with the broker stopped, search still finds and opens messages', async () => {
    const { page } = users.bob!
    await page.keyboard.press('Escape')
    await eventually(async () => expect(await page.getByTestId('search-panel').count()).toBe(0))
    await lab.broker.stop()
    await eventually(async () => expect(await page.getByTestId('connection-status').getAttribute('data-state')).not.toBe('connected'), 20_000)
    await page.getByTestId('search-button').click()
    await search(page, 'zeppelin')
    await eventually(async () => expect(await results(page).count()).toBe(1))
    await input(page).press('Enter')
    await eventually(async () =>
      expect(await page.locator(`[data-testid="message"][data-id="${oldId}"]`).getAttribute('data-jumped')).not.toBeNull(),
    )
  })

  it('looks right in dark and in a narrow window', async () => {
    const { page } = users.bob!
    await page.keyboard.press('Control+Shift+F')
    await search(page, 'café')
    await page.emulateMedia({ colorScheme: 'dark' })
    await page.screenshot({ path: screenshotPath('search-results-dark.png') })
    await page.setViewportSize({ width: 420, height: 720 })
    await page.screenshot({ path: screenshotPath('search-narrow-dark.png') })
    await page.emulateMedia({ colorScheme: 'light' })
    await page.screenshot({ path: screenshotPath('search-narrow.png') })
    // Narrow: the conversation takes the place of the results.
    await input(page).press('Enter')
    await eventually(async () => expect(await page.getByTestId('search-panel').count()).toBe(0))
    await page.getByTestId('chat-title').waitFor({ state: 'visible' })
    await page.screenshot({ path: screenshotPath('search-narrow-opened.png') })
  })
})
