/**
 * The people screens in the real renderer in Chromium, each person with their own
 * engine + web host, over a real Mosquitto: a friend request with a note answered
 * from the Contacts tab, a contact's chat and details, a stranger's message held in
 * Message requests (accepted; another one blocked from its banner), removing a
 * contact, Settings › Blocked people and Phone number, finding friends in a vCard
 * file, and a flood of 1,000 friend requests that the tab draws without freezing.
 * Strangers (carol, dave) are engines without a page; the flood comes from a plain
 * MQTT client.
 *
 * The tests in this file run in order and share state.
 */
import mqtt from 'mqtt'
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { encodeEnvelope, envelope } from '../../src/main/core/protocol/codec'
import { useBrowserLab } from '../helpers/browser-lab'
import { eventually, screenshotPath, type ParleyNode } from '../helpers/e2e'
import { contactRow, conversationWith, panelTab, shownTexts } from '../helpers/ui'

const lab = useBrowserLab()
const { users, startUser } = lab
const strangers: Record<string, ParleyNode> = {}

/** Someone without a page: an engine set up on the broker. */
async function startStranger(name: string): Promise<ParleyNode> {
  const node = await lab.startHeadless(name)
  strangers[name] = node
  return node
}

async function write(from: ParleyNode, to: string, text: string): Promise<void> {
  const c = await from.core.services.conversations.open(to)
  await from.core.services.messages.send({ conversationId: c.id, text })
}

const requestItem = (page: Page, peer: string) => page.getByTestId('request-item').and(page.locator(`[data-peer="${peer}"]`))

async function openContacts(page: Page): Promise<void> {
  await panelTab(page, 'contacts').click()
  await page.getByTestId('contacts-panel').waitFor()
}

async function openChats(page: Page): Promise<void> {
  await panelTab(page, 'chats').click()
}

describe('contacts, message requests and blocking in the browser', () => {
  it("alice's Contacts tab says what to do when there is nobody yet", async () => {
    const alice = await startUser('alice')
    await openContacts(alice.page)
    await alice.page.getByTestId('contacts-empty').waitFor()
    expect(await alice.page.getByTestId('contacts-empty').innerText()).toContain('Add someone by their user name')
    // A name that cannot be one is refused before anything is sent.
    await alice.page.getByTestId('add-contact-input').fill('no spaces')
    await alice.page.getByTestId('add-contact-input').press('Enter')
    expect(await alice.page.getByTestId('add-contact-error').innerText()).toBe('A name cannot contain spaces.')
  })

  it('alice asks bob with a note; bob sees it on his tab and accepts; each is the other’s contact', async () => {
    const alice = users.alice!.page
    const bob = (await startUser('bob')).page
    await alice.getByTestId('add-contact-input').fill('bob')
    await alice.getByTestId('add-contact-note').fill('Hi Bob, it is Alice from the café ☕')
    await alice.getByTestId('add-contact-note').press('Enter')
    await eventually(async () => expect(await alice.getByTestId('add-contact-done').innerText()).toContain('Request sent to'))
    expect(await alice.getByTestId('add-contact-input').inputValue()).toBe('')
    await eventually(async () => expect(await contactRow(alice, 'bob').getAttribute('data-state')).toBe('outgoing'))
    await eventually(async () => expect(await contactRow(alice, 'bob').getByTestId('request-delivery').getAttribute('data-delivery')).toBe('sent'))

    await eventually(async () => expect(await panelTab(bob, 'contacts').getByTestId('panel-badge').innerText()).toBe('1'))
    await openContacts(bob)
    const request = contactRow(bob, 'alice')
    await eventually(async () => expect(await request.getAttribute('data-state')).toBe('incoming'))
    expect(await request.getByTestId('request-note').innerText()).toBe('Hi Bob, it is Alice from the café ☕')
    await bob.screenshot({ path: screenshotPath('contacts-request.png') })
    await request.getByTestId('request-accept').click()
    await eventually(async () => expect(await contactRow(bob, 'alice').getAttribute('data-state')).toBe('contact'))
    expect(await panelTab(bob, 'contacts').getByTestId('panel-badge').count()).toBe(0)

    await eventually(async () => expect(await contactRow(alice, 'bob').getAttribute('data-state')).toBe('contact'))
    await alice.screenshot({ path: screenshotPath('contacts-panel.png') })
  })

  it("clicking a contact opens the chat; the header's Contact details shows them and closes with Esc", async () => {
    const alice = users.alice!.page
    await contactRow(alice, 'bob').getByTestId('contact-open').click()
    await eventually(async () => expect(await alice.getByTestId('chat-title').innerText()).toContain('bob'))
    const button = alice.getByTestId('chat-header').getByTestId('contact-details-button')
    await button.click()
    const details = alice.getByTestId('contact-details')
    await details.waitFor()
    expect(await details.getAttribute('role')).toBe('dialog')
    expect(await details.getAttribute('aria-modal')).toBe('true')
    expect(await details.innerText()).toContain('@bob')
    await eventually(async () => expect(await alice.getByTestId('contact-details-presence').innerText()).toBe('online'))
    expect(await alice.getByTestId('contact-details-relation').innerText()).toMatch(/^In your contacts since /)
    await alice.keyboard.press('Escape')
    await details.waitFor({ state: 'detached' })
    expect(await button.evaluate((el) => el === el.ownerDocument.activeElement)).toBe(true)
  })

  it('a stranger’s message waits in Message requests; Accept moves it into the list', async () => {
    const alice = users.alice!.page
    const carol = await startStranger('carol')
    await write(carol, 'alice', 'Hi Alice, Carol here — we met at the meetup.')
    await openChats(alice)
    const entry = alice.getByTestId('message-requests-entry')
    await eventually(async () => expect(await entry.innerText()).toContain('Message requests (1)'))
    expect(await conversationWith(alice, 'carol').count()).toBe(0)
    await entry.click()
    await requestItem(alice, 'carol').click()
    const banner = alice.getByTestId('request-banner')
    await banner.waitFor()
    expect(await banner.innerText()).toContain('carol is not in your contacts')
    await eventually(async () => expect(await shownTexts(alice, 'in')).toEqual(['Hi Alice, Carol here — we met at the meetup.']))
    await alice.screenshot({ path: screenshotPath('message-request.png') })

    await banner.getByTestId('request-accept-conversation').click()
    await banner.waitFor({ state: 'detached' })
    await alice.getByTestId('message-requests-empty').waitFor()
    await alice.getByTestId('message-requests-back').click()
    await conversationWith(alice, 'carol').waitFor()
    expect(await entry.count()).toBe(0)
  })

  it('blocking a stranger from the banner asks how first, then deletes the request', async () => {
    const alice = users.alice!.page
    const dave = await startStranger('dave')
    await write(dave, 'alice', 'Buy cheap followers!!!')
    const entry = alice.getByTestId('message-requests-entry')
    await eventually(async () => expect(await entry.innerText()).toContain('Message requests (1)'))
    await entry.click()
    await requestItem(alice, 'dave').click()
    await alice.getByTestId('request-block-conversation').click()
    const dialog = alice.getByTestId('block-dialog')
    await dialog.waitFor()
    expect(await dialog.getByRole('heading').innerText()).toBe('Block \u2068dave\u2069?')
    // Cancel blocks nobody.
    await alice.getByTestId('block-cancel').click()
    await dialog.waitFor({ state: 'detached' })
    expect(await users.alice!.node.core.services.blocking.list()).toEqual([])

    await alice.getByTestId('request-block-conversation').click()
    await alice.getByTestId('block-notify').check()
    await alice.getByTestId('block-confirm').click()
    await dialog.waitFor({ state: 'detached' })
    await eventually(async () => expect(await requestItem(alice, 'dave').count()).toBe(0))
    const blocked = await users.alice!.node.core.services.blocking.list()
    expect(blocked.map((b) => [b.user, b.notified])).toEqual([['dave', true]])
    await alice.getByTestId('message-requests-back').click()
  })

  it('removing a contact asks first', async () => {
    const alice = users.alice!.page
    await openContacts(alice)
    await contactRow(alice, 'bob').getByTestId('contact-details-button').click()
    await alice.getByTestId('contact-details').waitFor()
    await alice.getByTestId('contact-remove').click()
    expect(await contactRow(alice, 'bob').count()).toBe(1)
    await alice.getByTestId('contact-remove-confirm').click()
    await eventually(async () => expect(await contactRow(alice, 'bob').count()).toBe(0))
    expect(await alice.getByTestId('contact-details-relation').innerText()).toBe('Not in your contacts.')
    await alice.keyboard.press('Escape')
  })

  it('Settings › Blocked people lists dave; Unblock takes him off', async () => {
    const alice = users.alice!.page
    await alice.getByTestId('open-settings').click()
    await alice.locator('[data-testid="settings-nav-item"][data-section="blocked"]').click()
    const dave = alice.getByTestId('blocked-row').and(alice.locator('[data-user="dave"]'))
    await dave.waitFor()
    expect(await dave.innerText()).toContain('told')
    await dave.getByTestId('unblock-button').click()
    await alice.getByTestId('blocked-empty').waitFor()
    expect(await users.alice!.node.core.services.blocking.list()).toEqual([])
    await alice.keyboard.press('Escape')
    await alice.getByTestId('settings').waitFor({ state: 'detached' })
  })

  it('bob registers his number in Settings; alice finds him and carol in a vCard file and asks carol', async () => {
    const bob = users.bob!.page
    await bob.getByTestId('open-settings').click()
    await bob.locator('[data-testid="settings-nav-item"][data-section="phone"]').click()
    const section = bob.getByTestId('phone-section')
    await section.getByTestId('country-select').selectOption('PL')
    await section.getByTestId('phone-number').fill('555 000 111')
    await section.getByTestId('phone-number').press('Enter')
    await eventually(async () => expect(await section.getByTestId('phone-mine').innerText()).toBe('+48555000111'))
    await bob.screenshot({ path: screenshotPath('settings-phone.png') })
    await bob.keyboard.press('Escape')
    await strangers.carol!.core.services.phone.register({ number: '+48 555 000 222' })

    const alice = users.alice!.page
    await openContacts(alice)
    const vcard = [
      'BEGIN:VCARD', 'VERSION:3.0', 'FN:Bob Builder', 'TEL;TYPE=CELL:+48 555 000 111', 'END:VCARD',
      'BEGIN:VCARD', 'VERSION:3.0', 'FN:Carol', 'TEL:+48555000222', 'END:VCARD',
      'BEGIN:VCARD', 'VERSION:3.0', 'FN:Nobody', 'TEL:+48 555 999 888', 'END:VCARD',
      'BEGIN:VCARD', 'VERSION:3.0', 'FN:Broken', 'TEL:call me maybe', 'END:VCARD',
    ].join('\r\n')
    await alice.getByTestId('phone-import-file').setInputFiles({ name: 'friends.vcf', mimeType: 'text/vcard', buffer: Buffer.from(vcard) })
    const dialog = alice.getByTestId('phone-import')
    await dialog.waitFor()
    await eventually(async () => expect(await dialog.getByTestId('phone-import-summary').innerText()).toBe('2 of 3 numbers are on Parley.'), 20_000)
    expect(await dialog.getByTestId('phone-import-invalid').innerText()).toBe('1 entry was not a valid phone number.')
    const carol = dialog.getByTestId('phone-match').and(alice.locator('[data-user="carol"]'))
    expect(await carol.innerText()).toContain('+48555000222')
    await carol.getByTestId('phone-add').click()
    await eventually(async () => expect(await carol.getByTestId('phone-requested').innerText()).toBe('Requested'))
    await alice.screenshot({ path: screenshotPath('phone-import.png') })
    await dialog.getByTestId('phone-import-close').click()
    await dialog.waitFor({ state: 'detached' })
    expect(await contactRow(alice, 'carol').getAttribute('data-state')).toBe('outgoing')
  })

  it('a flood of 1,000 friend requests: the tab counts them all, draws fifty, and stays responsive', async () => {
    const alice = users.alice!.page
    const raw = await mqtt.connectAsync(lab.broker.url, { clientId: 'flooder', protocolVersion: 5 })
    try {
      await Promise.all(
        Array.from({ length: 1000 }, (_, i) => {
          const from = `flood${String(i).padStart(4, '0')}`
          const e = envelope('friend-request', from, { action: 'request', note: `request ${i}`, expires: Date.now() + 600_000 })
          return raw.publishAsync(`IMS/alice/Inbox/Add/GFReq/${from}`, encodeEnvelope(e), { qos: 1 })
        }),
      )
    } finally {
      await raw.endAsync()
    }
    await eventually(async () => expect(await alice.getByTestId('incoming-count').innerText()).toBe('1000'), 30_000)
    expect(await panelTab(alice, 'contacts').getByTestId('panel-badge').innerText()).toBe('1000')
    expect(await alice.locator('[data-testid="contact-row"][data-state="incoming"]').count()).toBe(50)
    expect(await alice.getByTestId('incoming-more').innerText()).toContain('950 not shown')

    // Responsive: switching tabs and back takes a moment, not seconds.
    const started = Date.now()
    await openChats(alice)
    await conversationWith(alice, 'carol').waitFor()
    await openContacts(alice)
    await alice.getByTestId('incoming-count').waitFor()
    expect(Date.now() - started).toBeLessThan(3000)

    await alice.getByTestId('incoming-more').click()
    expect(await alice.locator('[data-testid="contact-row"][data-state="incoming"]').count()).toBe(100)
    await alice.screenshot({ path: screenshotPath('contacts-flood.png') })
    expect(users.alice!.watch.errors, 'alice: uncaught page errors').toEqual([])
    expect(users.bob!.watch.errors, 'bob: uncaught page errors').toEqual([])
  })
})
