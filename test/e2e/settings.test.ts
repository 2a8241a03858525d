/**
 * The settings screen in the real renderer in Chromium, over a real Mosquitto:
 * a broker address that leads nowhere is fixed from the connection notice (Change
 * broker → Test connection → Save) without touching a file; Ctrl+, and Esc; the
 * presence settings; signing out keeping the history and signing back in to find the
 * old conversation. Screenshots of the screen (light and dark, wide and narrow) go
 * to SHOTS_DIR.
 *
 * The tests in this file run in order and share state.
 */
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { useBrowserLab } from '../helpers/browser-lab'
import { eventually, SCREENSHOT_DIR } from '../helpers/e2e'
import { freePort } from '../helpers/mosquitto'
import { openConversation, send, shownTexts, startConversation, waitConnected } from '../helpers/ui'

const SHOTS_DIR = process.env.PARLEY_SHOTS_DIR || join(SCREENSHOT_DIR, 'settings')

const lab = useBrowserLab()
const { users, dirs, openUser } = lab

async function shot(page: Page, name: string): Promise<void> {
  mkdirSync(SHOTS_DIR, { recursive: true })
  await page.screenshot({ path: join(SHOTS_DIR, name) })
}

/** Switches the colour scheme and lets transitions settle before a screenshot. */
async function scheme(page: Page, colorScheme: 'light' | 'dark'): Promise<void> {
  await page.emulateMedia({ colorScheme })
  await page.waitForTimeout(300)
}

const settings = (page: Page) => page.getByTestId('settings')
const navItem = (page: Page, section: string) => page.locator(`[data-testid="settings-nav-item"][data-section="${section}"]`)
/** An attribute of the element that has the keyboard focus. */
const focused = (page: Page, attribute: string) => page.locator(':focus').getAttribute(attribute, { timeout: 5_000 })
const activeTestId = (page: Page) => focused(page, 'data-testid')

describe('settings in the browser', () => {
  it('a wrong broker at set-up is fixed from the notice: Change broker, Test connection says OK, Save connects', async () => {
    const { page } = await openUser('alice', 1200)
    const nowhere = `mqtt://127.0.0.1:${await freePort()}`
    await page.getByTestId('setup-user').fill('alice')
    await page.getByTestId('setup-broker-url').check()
    await page.getByTestId('setup-url').fill(nowhere)
    // Testing first already tells the address is wrong.
    await page.getByTestId('setup-test').click()
    await eventually(async () => expect(await page.getByTestId('setup-test-result').getAttribute('data-ok')).toBe('false'))
    expect(await page.getByTestId('setup-test-result').innerText()).toContain('Nothing answers at')
    await shot(page, 'settings-setup-test-light-1200.png')
    await page.getByTestId('setup-submit').click()
    await page.getByTestId('app-shell').waitFor()

    // Not connected, and not stuck: the notice offers to change the broker.
    const notice = page.getByTestId('connection-notice')
    await notice.waitFor()
    await eventually(async () => expect(await notice.innerText()).toMatch(/Nothing answers at/))
    await shot(page, 'settings-notice-change-broker-light-1200.png')
    await page.getByTestId('change-broker').click()
    await settings(page).waitFor()
    expect(await settings(page).getAttribute('aria-modal')).toBe('true')
    expect(await navItem(page, 'broker').getAttribute('aria-current')).toBe('page')
    expect(await page.getByTestId('broker-current').innerText()).toContain(nowhere)

    const url = page.getByTestId('broker-url-input')
    expect(await url.inputValue()).toBe(nowhere)
    // Nothing changed yet: nothing to save.
    expect(await page.getByTestId('broker-save').isDisabled()).toBe(true)
    await url.fill(lab.broker.url)
    await page.getByTestId('broker-test').click()
    const result = page.getByTestId('broker-test-result')
    await eventually(async () => expect(await result.getAttribute('data-ok')).toBe('true'))
    expect(await result.innerText()).toContain('Connected with MQTT 5.')
    await shot(page, 'settings-broker-light-1200.png')

    await page.getByTestId('broker-save').click()
    await waitConnected(page)
    await eventually(async () => expect(await page.getByTestId('broker-saved').innerText()).toContain('Connected.'))
    expect(await page.getByTestId('broker-current').innerText()).toContain(lab.broker.url)
    expect(await page.getByTestId('broker-connection').getAttribute('data-state')).toBe('connected')

    // Esc closes the screen; the notice is gone, so focus lands on the settings button.
    await page.keyboard.press('Escape')
    await settings(page).waitFor({ state: 'detached' })
    expect(await notice.count()).toBe(0)
    expect(await activeTestId(page)).toBe('open-settings')
    const state = await users.alice!.node.core.services.account.getState()
    expect(state.broker).toMatchObject({ kind: 'url', url: lab.broker.url })
  })

  it('Ctrl+, opens the screen with the sections in order; Esc closes it and gives focus back', async () => {
    const { page } = users.alice!
    const bob = await lab.startUser('bob')
    // Bob lets strangers' first messages into his list (Privacy), so alice's chat is not a request.
    await bob.page.getByTestId('open-settings').click()
    await navItem(bob.page, 'privacy').click()
    const anyone = bob.page.getByTestId('privacy-anyone')
    await eventually(async () => expect(await anyone.isEnabled()).toBe(true))
    expect(await anyone.isChecked()).toBe(false)
    await anyone.click()
    await eventually(async () => expect((await bob.node.core.services.messageRequests.settings()).acceptFromAnyone).toBe(true))
    await bob.page.keyboard.press('Escape')
    await settings(bob.page).waitFor({ state: 'detached' })

    await startConversation(page, 'bob')
    await send(page, 'Hello before signing out')
    await eventually(async () => expect(await shownTexts(page, 'out')).toEqual(['Hello before signing out']))

    const composer = page.getByTestId('composer')
    await composer.click()
    await page.keyboard.press('Control+Comma')
    await settings(page).waitFor()
    const order = await page.getByTestId('settings-nav-item').evaluateAll((els) => els.map((e) => e.getAttribute('data-section')))
    const mine = order.filter((s) => ['privacy', 'presence', 'broker', 'devices', 'account'].includes(s!))
    expect(mine).toEqual(['privacy', 'presence', 'broker', 'devices', 'account'])
    // Keyboard: the first section has focus; arrows move through the list; Enter opens one.
    expect(await focused(page, 'data-section')).toBe(order[0])
    await page.keyboard.press('End')
    expect(await focused(page, 'data-section')).toBe(order.at(-1))
    await page.keyboard.press('Escape')
    await settings(page).waitFor({ state: 'detached' })
    expect(await activeTestId(page)).toBe('composer')

    await page.getByTestId('open-settings').click()
    await settings(page).waitFor()
    await navItem(page, 'privacy').click()
    await eventually(async () => expect(await page.getByTestId('privacy-read-receipts').isChecked()).toBe(true))
    await page.getByTestId('privacy-read-receipts').click()
    await eventually(async () => expect((await users.alice!.node.core.services.receipts.settings()).sendReadReceipts).toBe(false))
    await page.getByTestId('privacy-read-receipts').click()
    await eventually(async () => expect((await users.alice!.node.core.services.receipts.settings()).sendReadReceipts).toBe(true))
    await eventually(async () => expect(await page.getByTestId('privacy-read-receipts').getAttribute('aria-busy')).toBe('false'))
    await scheme(page, 'dark')
    await shot(page, 'settings-privacy-dark-1200.png')
    await scheme(page, 'light')
    // Devices: this one is listed, named, and can show a link for another.
    await navItem(page, 'devices').click()
    const me = page.locator('[data-testid="device-row"][data-current="true"]')
    await me.waitFor()
    await page.getByTestId('devices-offer-link').click()
    await page.getByTestId('devices-code').waitFor()
    expect((await page.getByTestId('devices-code').inputValue()).length).toBeGreaterThan(8)
    await shot(page, 'settings-devices-light-1200.png')
    await page.getByTestId('settings-close').click()
    await settings(page).waitFor({ state: 'detached' })
  })

  it('presence: away after N minutes is stored, and appear offline shows alice offline to bob while they still chat', async () => {
    const { page } = users.alice!
    const bob = users.bob!.page
    await page.keyboard.press('Control+Comma')
    await navItem(page, 'presence').click()
    const minutes = page.getByTestId('presence-away-minutes')
    await eventually(async () => expect(await minutes.inputValue()).toBe('5'))
    await minutes.fill('0')
    await minutes.press('Enter')
    expect(await page.getByTestId('presence-away-error').innerText()).toContain('from 1 to 120')
    await minutes.fill('15')
    await minutes.press('Enter')
    await page.getByTestId('presence-away-saved').waitFor()
    expect((await users.alice!.node.core.services.presence.settings()).awayAfterMinutes).toBe(15)

    await openConversation(bob, 'alice')
    await eventually(async () => expect(await bob.getByTestId('chat-status').innerText()).toBe('online'))
    await page.getByTestId('presence-appear-offline').click()
    await eventually(async () => expect(await page.getByTestId('presence-shown-as').getAttribute('data-state')).toBe('offline'))
    await eventually(async () => expect(await bob.getByTestId('chat-status').innerText()).toMatch(/^last seen /))
    await shot(page, 'settings-presence-light-1200.png')
    await scheme(page, 'dark')
    await shot(page, 'settings-presence-dark-1200.png')
    await scheme(page, 'light')
    await page.keyboard.press('Escape')
    await settings(page).waitFor({ state: 'detached' })
    // Still connected: bob's message arrives.
    await send(bob, 'Are you hiding?')
    await eventually(async () => expect(await shownTexts(page, 'in')).toEqual(['Are you hiding?']))

    await page.keyboard.press('Control+Comma')
    await navItem(page, 'presence').click()
    await page.getByTestId('presence-appear-offline').click()
    await eventually(async () => expect(await bob.getByTestId('chat-status').innerText()).toBe('online'))
    await page.keyboard.press('Escape')
    // Esc closes the screen a moment later: the next test's Ctrl+, must not find it still open (and close it).
    await settings(page).waitFor({ state: 'detached' })
  })

  it('the screen in one column at 420 px, light and dark, with a way back', async () => {
    const { page } = users.alice!
    await page.setViewportSize({ width: 420, height: 800 })
    await page.keyboard.press('Control+Comma')
    await settings(page).waitFor()
    // The list alone; choosing a section shows it with a back button.
    await shot(page, 'settings-list-light-420.png')
    await navItem(page, 'broker').click()
    await page.getByTestId('broker-url-input').waitFor()
    expect(await navItem(page, 'broker').isVisible()).toBe(false)
    await shot(page, 'settings-broker-light-420.png')
    await scheme(page, 'dark')
    await shot(page, 'settings-broker-dark-420.png')
    await page.getByTestId('settings-back').click()
    await navItem(page, 'account').waitFor({ state: 'visible' })
    expect(await focused(page, 'data-section')).toBe('broker')
    await navItem(page, 'account').click()
    await page.getByTestId('sign-out').waitFor()
    await shot(page, 'settings-account-dark-420.png')
    await scheme(page, 'light')
    await page.getByTestId('settings-close').click()
    await page.setViewportSize({ width: 1200, height: 720 })
  })

  it('signing out keeping the history, then back in as alice: the conversation with bob is still there', async () => {
    const { page } = users.alice!
    await page.keyboard.press('Control+Comma')
    await navItem(page, 'account').click()
    expect(await page.getByTestId('account-data-dir').innerText()).toBe(dirs.alice)
    // The web host cannot restart itself on another folder: it says how.
    expect(await page.getByTestId('data-dir-howto').innerText()).toContain('--data-dir')
    await shot(page, 'settings-account-light-1200.png')
    await page.getByTestId('sign-out').click()
    const dialog = page.getByTestId('sign-out-dialog')
    await dialog.waitFor()
    expect(await page.getByTestId('sign-out-keep-history').isChecked()).toBe(true)
    expect(await page.getByTestId('sign-out-confirm').innerText()).toBe('Sign out')
    // Choosing deletion says so on the button; choosing back keeps the history.
    await page.getByTestId('sign-out-delete-history').check()
    expect(await page.getByTestId('sign-out-confirm').innerText()).toBe('Delete history and sign out')
    await shot(page, 'settings-sign-out-confirm-light-1200.png')
    // Esc closes the confirmation only.
    await page.keyboard.press('Escape')
    await dialog.waitFor({ state: 'detached' })
    expect(await settings(page).isVisible()).toBe(true)
    await page.getByTestId('sign-out').click()
    expect(await page.getByTestId('sign-out-keep-history').isChecked()).toBe(true)
    await page.getByTestId('sign-out-confirm').click()

    // The page starts afresh on the set-up screen.
    await page.getByTestId('setup-user').waitFor({ timeout: 15_000 })
    const state = await users.alice!.node.core.services.account.getState()
    expect(state.configured).toBe(false)

    await lab.setUp(users.alice!)
    await openConversation(page, 'bob')
    await eventually(async () => expect(await shownTexts(page, 'out')).toEqual(['Hello before signing out']))
    expect(await shownTexts(page, 'in')).toEqual(['Are you hiding?'])
    // And the conversation goes on.
    await send(users.bob!.page, 'Welcome back')
    await eventually(async () => expect(await shownTexts(page, 'in')).toEqual(['Are you hiding?', 'Welcome back']))
    for (const u of Object.values(users)) expect(u.watch.errors, `${u.name}: uncaught page errors`).toEqual([])
  })
})
