/**
 * A group of three in the real renderer in Chromium, each person with their own
 * engine and web host over a real Mosquitto: alice creates "Weekend hikers" from
 * the New group dialog with bob and carol (her contacts) picked from the checklist;
 * each of them joins from the invite above their conversation list; messages from
 * all three show in the same order everywhere, with the sender's name above others'
 * bubbles; the header says "3 members, 3 online" and Group details lists everyone
 * with a presence dot and alice marked admin; alice @mentions bob through the
 * composer's completion list and bob (only bob) sees it highlighted.
 *
 * The tests in this file run in order and share state.
 */
import { Jimp } from 'jimp'
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { useBrowserLab } from '../helpers/browser-lab'
import { eventually, screenshotPath } from '../helpers/e2e'
import { befriend, messages, send, shownTexts, startConversation } from '../helpers/ui'

const { users, startUser } = useBrowserLab()

const GROUP = 'Weekend hikers'
const member = (page: Page, user: string) => page.getByTestId('group-member').and(page.locator(`[data-user="${user}"]`))
const groupRow = (page: Page) => page.getByTestId('conversation-item').filter({ hasText: GROUP })

/** Dialogs fade in unless motion is reduced: screenshots are taken with it reduced, so nothing is caught half-drawn. */
async function settled(page: Page): Promise<void> {
  await page.emulateMedia({ reducedMotion: 'reduce' })
}

async function waitForText(page: Page, text: string): Promise<void> {
  await eventually(async () => expect(await shownTexts(page)).toContain(text))
}

describe('a group of three in the browser', () => {
  it('alice creates a group with bob and carol from the New group dialog', async () => {
    const alice = await startUser('alice')
    const bob = await startUser('bob')
    const carol = await startUser('carol')
    await befriend(alice, bob)
    await befriend(alice, carol)
    await bob.node.core.services.profiles.update({ name: 'Bob Builder' })

    const page = alice.page
    await page.getByTestId('new-group-button').click()
    const dialog = page.getByTestId('new-group-dialog')
    await dialog.waitFor()
    // The checklist is searchable: typing narrows it to the matching contact.
    await dialog.getByTestId('group-member-search').fill('car')
    await eventually(async () => expect(await dialog.getByTestId('group-member-option').evaluateAll((els) => els.map((e) => e.getAttribute('data-user')))).toEqual(['carol']))
    await dialog.locator('[data-testid="group-member-option"][data-user="carol"] input').check()
    await dialog.getByTestId('group-member-search').fill('')
    await dialog.locator('[data-testid="group-member-option"][data-user="bob"] input').check()
    // Creating without a name says what is missing.
    await dialog.getByTestId('group-create').click()
    await eventually(async () => expect(await dialog.getByTestId('new-group-error').innerText()).toContain('name'))
    await dialog.getByTestId('group-name-input').fill(GROUP)
    // An optional photo, as a file picker hands it over.
    const png = await new Jimp({ width: 300, height: 200, color: 0x2e_8b_57_ff }).getBuffer('image/png')
    await dialog.getByTestId('group-photo-input').setInputFiles({ name: 'hikers.png', mimeType: 'image/png', buffer: png })
    await eventually(async () => expect(await dialog.locator('img.photo').getAttribute('src')).toMatch(/^data:image\/png;base64,/))
    await page.screenshot({ path: screenshotPath('groups-new.png') })
    await dialog.getByTestId('group-create').click()
    await dialog.waitFor({ state: 'detached' })

    await eventually(async () => expect(await page.getByTestId('chat-title').innerText()).toBe(GROUP))
    await groupRow(page).waitFor()
    // The engine's resized photo, in the list and the header.
    await eventually(async () => expect(await groupRow(page).locator('img.photo').getAttribute('src')).toMatch(/^data:image\/jpeg;base64,/))
    expect(await page.getByTestId('chat-header').locator('img.photo').count()).toBe(1)
  })

  it('bob and carol join from the invite above their list', async () => {
    for (const name of ['bob', 'carol']) {
      const page = users[name]!.page
      const invite = page.getByTestId('group-invite-banner')
      await eventually(async () => expect(await invite.innerText()).toContain(GROUP))
      expect(await invite.innerText()).toContain('alice')
      if (name === 'bob') await page.screenshot({ path: screenshotPath('groups-invite.png') })
      await invite.getByTestId('group-invite-accept').click()
      await eventually(async () => expect(await page.getByTestId('chat-title').innerText()).toBe(GROUP))
      await invite.waitFor({ state: 'detached' })
      await groupRow(page).waitFor()
    }
    const alice = users.alice!.page
    await eventually(async () => expect(await alice.getByTestId('chat-status').innerText()).toBe('3 members, 3 online'), 20_000)
  })

  it('messages from all three show in the same order for everyone, with the sender named', async () => {
    const order = [
      ['alice', 'Saturday at 8, the north trail?'],
      ['bob', 'I am in'],
      ['carol', 'Me too, I bring the map'],
      ['alice', 'Great, see you there'],
    ] as const
    for (const [name, text] of order) {
      await send(users[name]!.page, text)
      for (const who of ['alice', 'bob', 'carol']) await waitForText(users[who]!.page, text)
    }
    for (const who of ['alice', 'bob', 'carol']) {
      expect(await shownTexts(users[who]!.page)).toEqual(order.map(([, t]) => t))
    }
    // Alice's marks say how far each message got, in counts (the tooltip and accessible label).
    const mark = messages(users.alice!.page, 'out').last().getByTestId('message-status')
    await eventually(async () => expect(await mark.getAttribute('aria-label')).toMatch(/Delivered to 2 of 2, read by \d/))
    // Carol sees the senders' names (bob's display name) above their bubbles, not above her own.
    const carol = users.carol!.page
    const senders = await carol.getByTestId('message-sender').evaluateAll((els) => els.map((e) => [e.getAttribute('data-user'), e.textContent]))
    expect(senders).toEqual([
      ['alice', 'alice'],
      ['bob', 'Bob Builder'],
      ['alice', 'alice'],
    ])
    expect(await messages(carol, 'out').getByTestId('message-sender').count()).toBe(0)
  })

  it('Group details lists the members with presence, alice as admin', async () => {
    const page = users.alice!.page
    await settled(page)
    await page.getByTestId('group-details-button').click()
    const details = page.getByTestId('group-details')
    await details.waitFor()
    await eventually(async () => expect(await details.getByTestId('group-member').count()).toBe(3))
    expect(await member(page, 'alice').getAttribute('data-admin')).toBe('true')
    expect(await member(page, 'alice').getByTestId('group-member-admin').count()).toBe(1)
    for (const user of ['bob', 'carol']) {
      expect(await member(page, user).getAttribute('data-admin')).toBe('false')
      await eventually(async () => expect(await member(page, user).getByTestId('presence-dot').getAttribute('data-state')).toBe('online'))
      // An admin may remove others (after asking) and make them admins.
      expect(await member(page, user).getByTestId('group-remove').isVisible()).toBe(true)
    }
    expect(await member(page, 'bob').innerText()).toContain('Bob Builder')
    await page.screenshot({ path: screenshotPath('groups-members.png') })

    // Bob is not an admin: no Remove, no Invite.
    const bob = users.bob!.page
    await bob.getByTestId('group-details-button').click()
    await bob.getByTestId('group-details').waitFor()
    await eventually(async () => expect(await bob.getByTestId('group-member').count()).toBe(3))
    expect(await bob.getByTestId('group-remove').count()).toBe(0)
    expect(await bob.getByTestId('group-invite').count()).toBe(0)
    await bob.keyboard.press('Escape')
    await bob.getByTestId('group-details').waitFor({ state: 'detached' })
    await page.keyboard.press('Escape')
    await details.waitFor({ state: 'detached' })
  })

  it('alice @mentions bob through the completion list; bob is told while elsewhere and sees it highlighted, carol does not', async () => {
    // Bob is in his chat with alice when the mention comes.
    const bob = users.bob!.page
    await startConversation(bob, 'alice')

    const page = users.alice!.page
    const composer = page.getByTestId('composer')
    await composer.click()
    await composer.pressSequentially('@b')
    const suggestions = page.getByTestId('composer-suggestion')
    await eventually(async () => expect(await suggestions.evaluateAll((els) => els.map((e) => e.getAttribute('data-key')))).toEqual(['bob']))
    expect(await suggestions.first().innerText()).toContain('Bob Builder')
    await composer.press('Enter')
    expect(await composer.inputValue()).toBe('@bob ')
    await composer.pressSequentially('can you bring the stove?')
    await composer.press('Enter')
    await eventually(async () => expect(await composer.inputValue()).toBe(''))

    // An "@" on the group's avatar and an unread count in his list, until he opens it.
    const row = groupRow(bob)
    await eventually(async () => expect(await row.getByTestId('group-mention-badge').getAttribute('aria-label')).toBe('You were mentioned'))
    expect(await row.getByTestId('unread-count').innerText()).toBe('1')
    await bob.screenshot({ path: screenshotPath('groups-mention-badge.png') })
    await row.click()
    await eventually(async () => expect(await bob.getByTestId('chat-title').innerText()).toBe(GROUP))

    const text = '@bob can you bring the stove?'
    await waitForText(bob, text)
    expect(await messages(bob).filter({ hasText: text }).getAttribute('data-highlight')).toBe('Mentions you')
    await eventually(async () => expect(await row.getByTestId('group-mention-badge').count()).toBe(0))
    const carol = users.carol!.page
    await waitForText(carol, text)
    expect(await messages(carol).filter({ hasText: text }).getAttribute('data-highlight')).toBeNull()
    await bob.screenshot({ path: screenshotPath('groups-chat-bob.png') })
  })

  it('looks right narrow and dark', async () => {
    const carol = users.carol!.page
    await carol.emulateMedia({ colorScheme: 'dark', reducedMotion: 'reduce' })
    await carol.setViewportSize({ width: 420, height: 720 })
    await carol.screenshot({ path: screenshotPath('groups-chat-420-dark.png') })
    await carol.getByTestId('group-details-button').click()
    await carol.getByTestId('group-details').waitFor()
    await carol.screenshot({ path: screenshotPath('groups-members-420-dark.png') })
    await carol.keyboard.press('Escape')
    await carol.getByTestId('group-details').waitFor({ state: 'detached' })
    await carol.getByTestId('chat-back').click()
    await groupRow(carol).waitFor()
    await carol.screenshot({ path: screenshotPath('groups-list-420-dark.png') })
    await carol.getByTestId('new-group-button').click()
    await carol.getByTestId('new-group-dialog').waitFor()
    await carol.screenshot({ path: screenshotPath('groups-new-420-dark.png') })
    await carol.keyboard.press('Escape')
    await carol.getByTestId('new-group-dialog').waitFor({ state: 'detached' })
    await groupRow(carol).click()
    await carol.getByTestId('chat-header').waitFor()
  })

  it('alice renames the group, mutes it and removes carol after asking; bob leaves', async () => {
    const page = users.alice!.page
    await page.getByTestId('group-details-button').click()
    const details = page.getByTestId('group-details')
    await details.getByTestId('group-rename').click()
    await details.getByTestId('group-rename-input').fill('Summit team')
    await details.getByTestId('group-rename-input').press('Enter')
    await eventually(async () => expect(await details.getByTestId('group-details-name').innerText()).toBe('Summit team'))
    for (const who of ['bob', 'carol']) await eventually(async () => expect(await users[who]!.page.getByTestId('chat-title').innerText()).toBe('Summit team'))

    const mute = details.getByTestId('group-mute')
    expect(await mute.isChecked()).toBe(false)
    await mute.check()
    await eventually(async () => expect(await mute.isChecked()).toBe(true))
    expect((await users.alice!.node.core.services.groups.list()).find((g) => g.name === 'Summit team')?.muted).toBe(true)
    await eventually(async () => expect(await page.getByTestId('conversation-item').filter({ hasText: 'Summit team' }).getByTestId('conversation-muted').count()).toBe(1))

    await member(page, 'carol').getByTestId('group-remove').click()
    // Asked first: Cancel keeps her.
    await member(page, 'carol').getByTestId('group-remove-cancel').click()
    expect(await member(page, 'carol').count()).toBe(1)
    await member(page, 'carol').getByTestId('group-remove').click()
    await member(page, 'carol').getByTestId('group-remove-confirm').click()
    await eventually(async () => expect(await member(page, 'carol').count()).toBe(0))
    const carol = users.carol!.page
    await eventually(async () => expect(await carol.getByTestId('group-banner').getAttribute('data-membership')).toBe('removed'))

    // Invited again: she gets a new invite above her list.
    await details.getByTestId('group-invite').click()
    await details.locator('[data-testid="group-member-option"][data-user="carol"] input').check()
    await details.getByTestId('group-invite-send').click()
    await eventually(async () => expect(await member(page, 'carol').getAttribute('data-state')).toBe('invited'))
    await eventually(async () => expect(await carol.getByTestId('group-invite-banner').innerText()).toContain('Summit team'))

    const bob = users.bob!.page
    await bob.getByTestId('group-details-button').click()
    await bob.getByTestId('group-leave').click()
    await bob.getByTestId('group-leave-confirm').click()
    await eventually(async () => expect(await bob.getByTestId('group-banner').getAttribute('data-membership')).toBe('left'))
    await eventually(async () => expect(await member(page, 'bob').count()).toBe(0))
    await eventually(async () => expect(await page.getByTestId('chat-status').innerText()).toBe('1 member, 1 online, 1 invited'))
  })
})
