/**
 * Profiles and moments through the real renderer in Chromium, two web hosts over a
 * real Mosquitto: alice sets a display name, a status line and a photo in
 * Settings → Profile, and bob sees them in his conversation list and chat header
 * (live, without reopening anything); alice follows bob, bob posts a moment, and it
 * appears in alice's feed (the Moments tab's badge first, then the post).
 *
 * The tests in this file run in order and share state.
 */
import { Jimp } from 'jimp'
import type { Locator, Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { useBrowserLab } from '../helpers/browser-lab'
import { eventually, screenshotPath } from '../helpers/e2e'
import { conversationWith, panelTab, startConversation } from '../helpers/ui'

const DISPLAY_NAME = 'Alice Liddell'
const STATUS = 'Down the rabbit hole'
const MOMENT = 'First moment from bob\nwith a second line and <b>no markup</b>'

const { users, openUser, setUp } = useBrowserLab()

/** A 200×120 PNG of two colours: something the engine has to decode, crop and re-encode. */
async function photo(): Promise<Buffer> {
  const img = new Jimp({ width: 200, height: 120, color: 0x2c6bedff })
  img.scan(100, 0, 100, 120, (_x, _y, idx) => {
    img.bitmap.data[idx] = 0xf0
    img.bitmap.data[idx + 1] = 0xb4
    img.bitmap.data[idx + 2] = 0x29
  })
  return img.getBuffer('image/png')
}

/** Opens the settings screen (Ctrl+, as in every desktop messenger), then its Profile section, and waits for my profile. */
async function openProfileSettings(page: Page): Promise<void> {
  const nameInput = page.getByTestId('profile-name-input')
  await page.keyboard.press('Control+Comma')
  try {
    await nameInput.waitFor({ state: 'visible', timeout: 3000 })
  } catch {
    // A narrow window lists the sections first.
    await page.getByText('Profile', { exact: true }).first().click()
    await nameInput.waitFor({ state: 'visible' })
  }
  // Filled from my profile once it is read.
  await eventually(async () => expect(await nameInput.isEnabled()).toBe(true))
}

/** The <img> of an avatar inside `scope` (a photo), as opposed to initials. */
const photoIn = (scope: Locator) => scope.locator('img.photo').first()

describe('profiles and moments in the browser over Mosquitto', () => {
  it('alice and bob set up; bob starts a conversation with alice and sees her user name and initials', async () => {
    const alice = await openUser('alice')
    const bob = await openUser('bob')
    await setUp(alice)
    await setUp(bob)
    await startConversation(bob.page, 'alice')
    expect(await conversationWith(bob.page, 'alice').locator('.title').innerText()).toBe('alice')
    expect(await photoIn(conversationWith(bob.page, 'alice')).count()).toBe(0)
  })

  it('alice sets a display name, a status line and a photo in Settings → Profile', async () => {
    const { page } = users.alice!
    await openProfileSettings(page)

    // A wrong email is explained, in the contract's words, and not saved.
    await page.getByTestId('profile-email-input').fill('not-an-email')
    await page.getByTestId('profile-email-input').blur()
    await eventually(async () => expect(await page.getByTestId('profile-email-error').innerText()).toBe('That is not an email address.'))
    await page.getByTestId('profile-email-input').fill('')

    await page.getByTestId('profile-name-input').fill(DISPLAY_NAME)
    await page.getByTestId('profile-status-input').fill(STATUS)
    // The preview follows the typing before anything is saved.
    expect(await page.getByTestId('profile-preview-name').innerText()).toBe(DISPLAY_NAME)
    await page.getByTestId('profile-save').click()
    await eventually(async () => expect(await page.getByTestId('profile-saved').innerText()).toBe('Saved'))
    await eventually(async () => expect(await page.getByTestId('profile-save').isDisabled()).toBe(true))

    // Not a picture: said at once, nothing sent.
    await page.getByTestId('profile-avatar-input').setInputFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('hello') })
    expect(await page.getByTestId('profile-avatar-error').innerText()).toMatch(/not an image/)

    await page.getByTestId('profile-avatar-input').setInputFiles({ name: 'me.png', mimeType: 'image/png', buffer: await photo() })
    const preview = page.getByTestId('profile-preview')
    // The engine made a JPEG of it (resized), and the preview shows that.
    await eventually(async () => expect(await photoIn(preview).getAttribute('src')).toMatch(/^data:image\/jpeg;base64,/), 20_000)
    expect(await page.getByTestId('profile-avatar-busy').count()).toBe(0)
    expect(await page.getByTestId('profile-avatar-remove').isVisible()).toBe(true)
    // My own status line shows under my name in the sidebar.
    await page.screenshot({ path: screenshotPath('profile-settings.png') })
    await page.keyboard.press('Escape')
    expect(users.alice!.watch.errors).toEqual([])
  })

  it('bob sees her display name and photo in his conversation list and chat header, without reopening anything', async () => {
    const { page } = users.bob!
    const row = conversationWith(page, 'alice')
    await eventually(async () => expect(await row.locator('.title').innerText()).toBe(DISPLAY_NAME), 20_000)
    await eventually(async () => expect(await photoIn(row).getAttribute('src')).toMatch(/^data:image\/jpeg;base64,/))
    const header = page.getByTestId('chat-header')
    await eventually(async () => expect(await page.getByTestId('chat-title').innerText()).toBe(DISPLAY_NAME))
    expect(await photoIn(header).getAttribute('src')).toMatch(/^data:image\/jpeg;base64,/)
    await page.screenshot({ path: screenshotPath('profile-seen-by-bob.png') })
  })

  it('alice follows bob; bob posts a moment; alice sees it in her feed', async () => {
    const alice = users.alice!.page
    const bob = users.bob!.page

    await panelTab(alice, 'moments').click()
    await alice.getByTestId('moments-panel').waitFor({ state: 'visible' })
    await alice.getByTestId('moments-following-toggle').click()
    await alice.getByTestId('moments-follow-input').fill('bob')
    await alice.getByTestId('moments-follow-input').press('Enter')
    await eventually(async () =>
      expect(await alice.locator('[data-testid="moments-following-item"][data-user="bob"]').getAttribute('data-following')).toBe('true'),
    )
    // Back to the chats: the Moments tab's badge will tell her something new arrived.
    await panelTab(alice, 'chats').click()

    await panelTab(bob, 'moments').click()
    const composer = bob.getByTestId('moment-composer')
    await composer.click()
    const [first, second] = MOMENT.split('\n')
    await composer.pressSequentially(first!, { delay: 0 })
    await composer.press('Shift+Enter')
    await composer.pressSequentially(second!, { delay: 0 })
    expect(await composer.inputValue()).toBe(MOMENT)
    await composer.press('Enter')
    await eventually(async () => expect(await composer.inputValue()).toBe(''))
    const mine = bob.locator('[data-testid="moment-item"][data-author="bob"]')
    await eventually(async () => expect(await mine.getByTestId('moment-text').textContent()).toBe(MOMENT))
    // Once the broker has it, the clock (pending) goes away.
    await eventually(async () => expect(await mine.getByTestId('moment-status').count()).toBe(0), 20_000)

    const badge = alice.locator('[data-testid="panel-tab"][data-panel="moments"] [data-testid="panel-badge"]')
    await eventually(async () => expect(await badge.innerText()).toBe('1'), 20_000)
    await panelTab(alice, 'moments').click()
    const item = alice.locator('[data-testid="moment-item"][data-author="bob"]')
    await eventually(async () => expect(await item.getByTestId('moment-text').textContent()).toBe(MOMENT))
    expect(await item.getByTestId('moment-author').innerText()).toBe('bob')
    expect(await item.getByTestId('moment-time').innerText()).toBe('just now')
    // Text, never markup; and the badge is gone once the feed is open.
    expect(await alice.locator('[data-testid="moment-text"] b').count()).toBe(0)
    expect(await badge.count()).toBe(0)
    await alice.screenshot({ path: screenshotPath('moments-feed.png') })

    // Her own post goes to the top of her feed.
    await alice.getByTestId('moment-composer').fill('Hello from Alice')
    await alice.getByTestId('moment-composer').press('Enter')
    await eventually(async () =>
      expect(await alice.locator('[data-testid="moment-item"][data-author="alice"] [data-testid="moment-text"]').textContent()).toBe('Hello from Alice'),
    )
    expect(users.alice!.watch.errors).toEqual([])
    expect(users.bob!.watch.errors).toEqual([])
  })
})
