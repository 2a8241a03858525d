/**
 * Driving the real renderer as a person would: set-up, conversations, the composer,
 * and reading what the chat shows. Shared by the browser end-to-end tests.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { expect } from 'vitest'
import { eventually, screenshotPath, startNode, watchPage, type ParleyNode } from './e2e'

/** One person at their own Parley: an engine with its web host, and a browser page on it. */
export interface UiUser {
  name: string
  node: ParleyNode
  context: BrowserContext
  page: Page
  watch: ReturnType<typeof watchPage>
}

/** Starts a Parley on `dataDir` and opens its page in a fresh browser context. */
export async function openUser(browser: Browser, name: string, dataDir: string, width = 1100): Promise<UiUser> {
  const node = await startNode(name, dataDir)
  const context = await browser.newContext({ viewport: { width, height: 720 } })
  const page = await context.newPage()
  page.setDefaultTimeout(15_000)
  const watch = watchPage(name, page)
  await page.goto(node.host.url)
  return { name, node, context, page, watch }
}

/**
 * Makes two people contacts the way Parley does (a friend request, accepted), so a
 * first message between them lands in the conversation list, not in Message requests.
 */
export async function befriend(a: UiUser, b: UiUser): Promise<void> {
  await a.node.core.services.contacts.request({ user: b.name })
  await eventually(async () => {
    const theirs = await b.node.core.services.contacts.list()
    expect(theirs.find((c) => c.user === a.name)?.state).toBe('incoming')
  })
  await b.node.core.services.contacts.accept(a.name)
  await eventually(async () => expect((await a.node.core.services.contacts.list()).find((c) => c.user === b.name)?.state).toBe('contact'))
}

/** On a failed test: what each page and engine said. */
export function printUsers(users: Iterable<UiUser>): void {
  for (const u of users) {
    console.error([...u.watch.errors, ...u.watch.console, ...u.watch.dialogs].join('\n'))
    console.error(u.node.log.lines.slice(-60).join('\n'))
  }
}

/** Fills the first-run screen with a broker URL and waits until connected. */
export async function setUpWithUrl(page: Page, user: string, brokerUrl: string, screenshot?: string): Promise<void> {
  await page.getByTestId('setup-user').waitFor({ state: 'visible' })
  await page.getByTestId('setup-user').fill(user)
  await page.getByTestId('setup-broker-url').check()
  await page.getByTestId('setup-url').fill(brokerUrl)
  if (screenshot) await page.screenshot({ path: screenshotPath(screenshot), fullPage: true })
  await page.getByTestId('setup-submit').click()
  await page.getByTestId('app-shell').waitFor({ state: 'visible' })
  await eventually(async () => expect(await page.getByTestId('me').innerText()).toContain(user))
  await waitConnected(page)
}

export async function waitConnected(page: Page): Promise<void> {
  await eventually(async () => expect(await page.getByTestId('connection-status').getAttribute('data-state')).toBe('connected'))
}

export function messages(page: Page, direction?: 'in' | 'out') {
  const all = page.getByTestId('message')
  return direction ? all.and(page.locator(`[data-direction="${direction}"]`)) : all
}

/** What the message bubbles show, oldest first, as rendered text. */
export async function shownTexts(page: Page, direction?: 'in' | 'out'): Promise<string[]> {
  return messages(page, direction).getByTestId('message-text').allInnerTexts()
}

export async function statuses(page: Page, direction: 'in' | 'out' = 'out'): Promise<(string | null)[]> {
  return messages(page, direction).evaluateAll((els) => els.map((e) => e.getAttribute('data-status')))
}

/** The tab of a sidebar panel: chats, contacts, moments… */
export function panelTab(page: Page, panel: string) {
  return page.locator(`[data-testid="panel-tab"][data-panel="${panel}"]`)
}

/** Someone's row in the Contacts tab (a contact, or a friend request either way). */
export function contactRow(page: Page, user: string) {
  return page.getByTestId('contact-row').and(page.locator(`[data-user="${user}"]`))
}

export function conversationWith(page: Page, peer: string) {
  return page.getByTestId('conversation-item').and(page.locator(`[data-peer="${peer}"]`))
}

export async function openConversation(page: Page, peer: string): Promise<void> {
  await conversationWith(page, peer).click()
  await eventually(async () => expect(await page.getByTestId('chat-title').innerText()).toContain(peer))
}

/** Starts a new conversation through the + button. */
export async function startConversation(page: Page, peer: string): Promise<void> {
  await page.getByTestId('new-conversation').click()
  await page.getByTestId('new-conversation-input').fill(peer)
  await page.getByTestId('new-conversation-input').press('Enter')
  await eventually(async () => expect(await page.getByTestId('chat-title').innerText()).toContain(peer))
  await conversationWith(page, peer).waitFor({ state: 'visible' })
}

/** Types `text` (Shift+Enter between lines) and sends it with Enter. */
export async function send(page: Page, text: string): Promise<void> {
  const composer = page.getByTestId('composer')
  const lines = text.split('\n')
  await composer.click()
  for (const [i, line] of lines.entries()) {
    if (i > 0) await composer.press('Shift+Enter')
    await composer.pressSequentially(line, { delay: 0 })
  }
  // Shift+Enter must have made a new line, not sent the first half.
  expect(await composer.inputValue()).toBe(text)
  await composer.press('Enter')
  await eventually(async () => expect(await composer.inputValue()).toBe(''))
}
