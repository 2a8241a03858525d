/**
 * Regional broadcasts and send to a list in the real renderer in Chromium, over a
 * real Mosquitto: erik follows "eu" in Settings › Regional broadcasts, an admin's
 * broadcast appears in the read-only eu conversation (the chat says so where the
 * composer would be); alice sends one message to two contacts from "Send to several
 * people" and each gets it in their own chat. Screenshots (light and dark, wide and
 * narrow) go to SHOTS_DIR.
 *
 * The tests in this file run in order and share state.
 */
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { useBrowserLab } from '../helpers/browser-lab'
import { eventually, SCREENSHOT_DIR } from '../helpers/e2e'
import { befriend, conversationWith, openConversation, shownTexts, type UiUser } from '../helpers/ui'

const SHOTS_DIR = process.env.PARLEY_SHOTS_DIR || join(SCREENSHOT_DIR, 'broadcasts')

const lab = useBrowserLab()

async function shot(page: Page, name: string): Promise<void> {
  mkdirSync(SHOTS_DIR, { recursive: true })
  await page.screenshot({ path: join(SHOTS_DIR, name) })
}

async function scheme(page: Page, colorScheme: 'light' | 'dark'): Promise<void> {
  await page.emulateMedia({ colorScheme })
  await page.waitForTimeout(300)
}

describe('regional broadcasts and send to a list in the browser', () => {
  it('erik follows eu in the settings; an admin broadcast shows in the read-only eu conversation', async () => {
    const erik = await lab.startUser('erik', 1200)
    const { page } = erik
    const olga = await lab.startHeadless('olga')
    await olga.core.services.broadcasts.setAdmin(true)

    await page.getByTestId('open-settings').click()
    await page.locator('[data-testid="settings-nav-item"][data-section="broadcasts"]').click()
    await page.getByTestId('regions-empty').waitFor()
    // A bad name is explained before anything is sent.
    await page.getByTestId('region-input').fill('eu/west')
    expect(await page.getByTestId('region-error').innerText()).toBe('A name cannot contain "/", "+" or "#".')
    expect(await page.getByTestId('region-add').isDisabled()).toBe(true)
    await page.getByTestId('region-input').fill('eu')
    await page.getByTestId('region-input').press('Enter')
    await page.locator('[data-testid="region-row"][data-region="eu"]').waitFor()
    await eventually(async () => expect(await page.getByTestId('region-input').inputValue()).toBe(''))
    await eventually(async () => expect(await erik.node.core.services.broadcasts.regions()).toEqual(['eu']))
    await scheme(page, 'light')
    await shot(page, 'regions-settings-light-1200.png')
    await scheme(page, 'dark')
    await shot(page, 'regions-settings-dark-1200.png')
    await page.keyboard.press('Escape')
    await page.getByTestId('settings').waitFor({ state: 'hidden' })

    await page.waitForTimeout(300) // the subscription reaches the broker
    const sent = await olga.core.services.broadcasts.publish({ region: 'eu', text: 'Maintenance tonight at 22:00' })
    await eventually(async () => expect((await olga.core.services.messages.page({ conversationId: 'system:eu' })).messages[0]?.status).toBe('sent'))
    expect(sent.conversationId).toBe('system:eu')
    await conversationWith(page, 'eu').waitFor()
    await openConversation(page, 'eu')
    await eventually(async () => expect(await shownTexts(page, 'in')).toEqual(['Maintenance tonight at 22:00']))
    // Who published it, and for which region.
    expect(await page.getByTestId('broadcast-sender').innerText()).toBe('olga · eu')
    const note = page.getByTestId('composer-read-only')
    expect(await note.innerText()).toBe('Broadcasts for this region are read-only: only its administrators publish here.')
    expect(await page.getByTestId('composer').count()).toBe(0)
    await scheme(page, 'light')
    await shot(page, 'broadcast-conversation-light-1200.png')
    await scheme(page, 'dark')
    await shot(page, 'broadcast-conversation-dark-1200.png')
    await page.setViewportSize({ width: 420, height: 720 })
    await page.waitForTimeout(300)
    await shot(page, 'broadcast-conversation-dark-420.png')
  })

  it('alice sends one message to bob and carol from "Send to several people": each gets it in their own chat', async () => {
    const alice = await lab.startUser('alice', 1200)
    const { page } = alice
    const bob = await lab.startHeadless('bob')
    const carol = await lab.startHeadless('carol')
    await lab.startHeadless('dave')
    const asUser = (node: typeof bob): UiUser => ({ name: node.name, node }) as UiUser
    await befriend(alice, asUser(bob))
    await befriend(alice, asUser(carol))

    await page.getByTestId('send-list-button').click()
    const dialog = page.getByTestId('send-list-dialog')
    await dialog.waitFor()
    await eventually(async () => expect(await page.getByTestId('send-list-option').count()).toBe(2))
    expect(await page.getByTestId('send-list-send').isDisabled()).toBe(true)
    await page.locator('[data-testid="send-list-option"][data-user="bob"]').click()
    await page.locator('[data-testid="send-list-option"][data-user="carol"]').click()
    expect(await page.getByTestId('send-list-count').innerText()).toBe('2 selected')
    await page.getByTestId('send-list-text').fill('Lunch at noon?')
    expect(await page.getByTestId('send-list-send').innerText()).toBe('Send to 2 people')
    await scheme(page, 'light')
    await shot(page, 'send-list-light-1200.png')
    await scheme(page, 'dark')
    await shot(page, 'send-list-dark-1200.png')
    await page.getByTestId('send-list-text').press('Control+Enter')
    await dialog.waitFor({ state: 'hidden' })

    for (const node of [bob, carol]) {
      await eventually(async () =>
        expect((await node.core.services.messages.page({ conversationId: 'dm:alice' })).messages.map((m) => [m.sender, m.text])).toEqual([['alice', 'Lunch at noon?']]),
      )
    }
    // Two chats of alice's own, one message each, with ids of their own.
    await conversationWith(page, 'bob').waitFor()
    await conversationWith(page, 'carol').waitFor()
    const ids = await Promise.all(
      ['bob', 'carol'].map(async (p) => (await alice.node.core.services.messages.page({ conversationId: `dm:${p}` })).messages.map((m) => m.id)),
    )
    expect(ids.flat()).toHaveLength(2)
    expect(new Set(ids.flat()).size).toBe(2)
    await openConversation(page, 'carol')
    await eventually(async () => expect(await shownTexts(page, 'out')).toEqual(['Lunch at noon?']))
  })
})
