/**
 * Three people, each with their own engine, web host and browser page, over a real
 * Mosquitto: alice asks bob to be a contact and he accepts in the Contacts tab; each
 * then sees the other's display name, photo and presence; carol (a stranger to bob)
 * writes first and lands in bob's Message requests, not his chat list; alice blocks
 * carol, and nothing carol sends afterwards shows anywhere in alice's Parley or her
 * history.
 *
 * The tests in this file run in order and share state.
 */
import { Jimp } from 'jimp'
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { useBrowserLab } from '../helpers/browser-lab'
import { eventually, screenshotPath } from '../helpers/e2e'
import { contactRow, conversationWith, panelTab, send, shownTexts } from '../helpers/ui'

const { users, startUser } = useBrowserLab()

/** A picture as a file picker would hand it over: a PNG, which the engine resizes and re-encodes as JPEG. */
async function picture(color: number): Promise<string> {
  const image = new Jimp({ width: 320, height: 240, color })
  return (await image.getBuffer('image/png')).toString('base64')
}

/** Opens (or starts) the chat with `peer` from the + button; the title may be their display name. */
async function openChat(page: Page, peer: string): Promise<void> {
  await panelTab(page, 'chats').click()
  await page.getByTestId('new-conversation').click()
  await page.getByTestId('new-conversation-input').fill(peer)
  await page.getByTestId('new-conversation-input').press('Enter')
  await page.getByTestId('chat-header').waitFor()
  await conversationWith(page, peer).waitFor()
}

describe('three people in the browser: contacts, profiles, message requests and blocking', () => {
  it('alice and bob give themselves a display name and a photo', async () => {
    const alice = await startUser('alice')
    const bob = await startUser('bob')
    await startUser('carol')
    await alice.node.core.services.profiles.update({ name: 'Alice Liddell', status: 'Down the rabbit hole' })
    await alice.node.core.services.profiles.setAvatar({ base64: await picture(0xe0_70_30_ff) })
    await bob.node.core.services.profiles.update({ name: '鲍勃 Bob' })
    await bob.node.core.services.profiles.setAvatar({ base64: await picture(0x30_70_e0_ff) })
  })

  it('alice asks bob from her Contacts tab; bob accepts from his; both see name, photo and presence', async () => {
    const alice = users.alice!.page
    const bob = users.bob!.page
    await panelTab(alice, 'contacts').click()
    await alice.getByTestId('add-contact-input').fill('bob')
    await alice.getByTestId('add-contact-note').fill('Tea at four?')
    await alice.getByTestId('add-contact-submit').click()
    await eventually(async () => expect(await contactRow(alice, 'bob').getAttribute('data-state')).toBe('outgoing'))

    await eventually(async () => expect(await panelTab(bob, 'contacts').getByTestId('panel-badge').innerText()).toBe('1'))
    await panelTab(bob, 'contacts').click()
    const request = contactRow(bob, 'alice')
    await eventually(async () => expect(await request.innerText()).toContain('Tea at four?'))
    await request.getByTestId('request-accept').click()

    for (const [page, peer, shown] of [
      [alice, 'bob', '鲍勃 Bob'],
      [bob, 'alice', 'Alice Liddell'],
    ] as const) {
      const row = contactRow(page, peer)
      await eventually(async () => expect(await row.getAttribute('data-state')).toBe('contact'))
      await eventually(async () => expect(await row.innerText()).toContain(shown))
      // The photo the engine made (a JPEG data URL), not initials; and a presence dot that says online.
      await eventually(async () => expect(await row.locator('img.photo').getAttribute('src')).toMatch(/^data:image\/jpeg;base64,/))
      await eventually(async () => expect(await row.getByTestId('presence-dot').getAttribute('data-state')).toBe('online'))
    }
    await alice.screenshot({ path: screenshotPath('people-contacts.png') })
  })

  it("carol's first message to bob waits in his Message requests, not in his chat list", async () => {
    const carol = users.carol!.page
    const bob = users.bob!.page
    await openChat(carol, 'bob')
    await send(carol, 'Hi Bob, we met at the conference')
    await panelTab(bob, 'chats').click()
    const entry = bob.getByTestId('message-requests-entry')
    await eventually(async () => expect(await entry.innerText()).toContain('Message requests (1)'))
    expect(await conversationWith(bob, 'carol').count()).toBe(0)
    // A quiet count: bob's window title (the unread total) does not count a stranger.
    expect(await bob.title()).toBe('Parley')
    await entry.click()
    await bob.getByTestId('request-item').and(bob.locator('[data-peer="carol"]')).click()
    await eventually(async () => expect(await shownTexts(bob, 'in')).toEqual(['Hi Bob, we met at the conference']))
    await bob.getByTestId('request-banner').waitFor()
    await bob.screenshot({ path: screenshotPath('people-message-request.png') })
    // Not read-receipted while it is a request: carol's mark stops at delivered.
    await eventually(async () => expect(await carol.getByTestId('message').last().getAttribute('data-status')).toBe('delivered'))
  })

  it("alice blocks carol; nothing carol sends afterwards shows in alice's Parley or her history", async () => {
    const alice = users.alice!
    const carol = users.carol!
    await openChat(carol.page, 'alice')
    await send(carol.page, 'first, before the block')
    await panelTab(alice.page, 'chats').click()
    await alice.page.getByTestId('message-requests-entry').click()
    await alice.page.getByTestId('request-item').and(alice.page.locator('[data-peer="carol"]')).click()
    await alice.page.getByTestId('request-block-conversation').click()
    await alice.page.getByTestId('block-dialog').waitFor()
    await alice.page.getByTestId('block-confirm').click()
    await eventually(async () => expect((await alice.node.core.services.blocking.list()).map((b) => b.user)).toEqual(['carol']))

    await send(carol.page, 'after the block: you cannot hide from me')
    // carol's own Parley has it sent (the broker took it); alice's drops it on arrival.
    await eventually(async () => expect(await carol.page.getByTestId('message').last().getAttribute('data-status')).toBe('sent'))
    // bob, a contact, is still heard at once: the block is about carol alone.
    await openChat(users.bob!.page, 'alice')
    await send(users.bob!.page, 'still here')
    await alice.page.getByTestId('message-requests-back').click()
    await eventually(async () => expect(await conversationWith(alice.page, 'bob').innerText()).toContain('still here'))
    expect(await alice.page.getByText('you cannot hide from me').count()).toBe(0)
    expect(await alice.page.getByTestId('message-requests-entry').count()).toBe(0)
    const history = await alice.node.core.services.messages.page({ conversationId: 'dm:carol', limit: 50 })
    expect(history.messages.map((m) => m.text)).not.toContain('after the block: you cannot hide from me')
    await alice.page.screenshot({ path: screenshotPath('people-after-block.png') })
    for (const u of Object.values(users)) expect(u.watch.errors).toEqual([])
  })
})
