/**
 * What a person sees of the other side, in the real renderer in Chromium, with two
 * web hosts over a real Mosquitto: the peer's presence dot and "last seen",
 * "typing…" while they write, and the marks on one's own messages going
 * ✓ (sent) → ✓✓ (delivered) → read; a message the broker refuses is "not sent",
 * with Retry and Delete.
 *
 * The tests in this file run in order and share state.
 */
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { useBrowserLab } from '../helpers/browser-lab'
import { eventually, screenshotPath } from '../helpers/e2e'
import { befriend, conversationWith, messages, openConversation, send, startConversation, statuses } from '../helpers/ui'

// The broker refuses anything sent to carol's inbox: a publish Parley must show as not sent.
const { users, openUser, setUp } = useBrowserLab({ mosquitto: { acl: ['topic readwrite #', 'topic deny IMS/carol/Inbox/Msg/#'] } })

const chatStatus = (page: Page) => page.getByTestId('chat-status')
const headerDot = (page: Page) => page.locator('.chat-header, [data-testid="chat-header"]').getByTestId('presence-dot')

describe('presence, typing and receipts in the browser', () => {
  it("alice sees bob online in the list and in the chat header", async () => {
    const alice = await openUser('alice')
    const bob = await openUser('bob')
    await setUp(alice)
    await setUp(bob)
    await befriend(alice, bob)
    await startConversation(alice.page, 'bob')
    await eventually(async () => expect(await chatStatus(alice.page).innerText()).toBe('online'))
    await eventually(async () => expect(await headerDot(alice.page).getAttribute('data-state')).toBe('online'))
    await eventually(async () =>
      expect(await conversationWith(alice.page, 'bob').getByTestId('presence-dot').getAttribute('data-state')).toBe('online'),
    )
  })

  it('a message goes ✓✓ delivered while bob is elsewhere, then read when he opens it', async () => {
    const alice = users.alice!.page
    const bob = users.bob!.page
    await send(alice, 'Are you there?')
    await eventually(async () => expect(await statuses(alice)).toEqual(['delivered']), 20_000)
    const mark = messages(alice, 'out').getByRole('img')
    expect(await mark.getAttribute('aria-label')).toBe('Delivered')
    await alice.screenshot({ path: screenshotPath('receipts-delivered.png') })

    await openConversation(bob, 'alice')
    await eventually(async () => expect(await statuses(alice)).toEqual(['read']), 20_000)
    expect(await messages(alice, 'out').getByRole('img').getAttribute('aria-label')).toBe('Read')
  })

  it('alice sees "typing…" while bob types, and it clears when his message arrives', async () => {
    const alice = users.alice!.page
    const bob = users.bob!.page
    const composer = bob.getByTestId('composer')
    await composer.click()
    await composer.pressSequentially('Yes, I am', { delay: 30 })
    await eventually(async () => expect(await chatStatus(alice).innerText()).toBe('typing…'))
    await eventually(async () =>
      expect(await conversationWith(alice, 'bob').getByTestId('conversation-last').innerText()).toContain('typing…'),
    )
    await alice.screenshot({ path: screenshotPath('typing.png') })
    await composer.press('Enter')
    await eventually(async () => expect(await messages(alice, 'in').count()).toBe(1))
    await eventually(async () => expect(await chatStatus(alice).innerText()).toBe('online'))
    await alice.screenshot({ path: screenshotPath('receipts-read.png') })
  })

  it('a message the broker refuses is marked not sent, and can be retried or deleted', async () => {
    const alice = users.alice!.page
    await startConversation(alice, 'carol')
    await send(alice, 'This one the broker refuses')
    await eventually(async () => expect(await statuses(alice)).toEqual(['failed']), 20_000)
    const failed = messages(alice, 'out')
    expect(await failed.getByRole('img').getAttribute('aria-label')).toBe('Not sent')
    await alice.screenshot({ path: screenshotPath('message-failed.png') })

    // Retry goes to the broker again (and is refused again).
    const refusals = () => users.alice!.node.log.lines.filter((l) => l.includes('publish failed')).length
    expect(refusals()).toBe(1)
    await failed.getByTestId('retry-message').click()
    await eventually(() => expect(refusals()).toBe(2), 20_000)
    await eventually(async () => expect(await statuses(alice)).toEqual(['failed']), 20_000)

    // A refused message blocks nothing: bob still gets the next one.
    await openConversation(alice, 'bob')
    await send(alice, 'Still here')
    await eventually(async () => expect((await statuses(alice)).at(-1)).toMatch(/^(delivered|read)$/), 20_000)

    await openConversation(alice, 'carol')
    await messages(alice, 'out').getByTestId('delete-message').click()
    await eventually(async () => expect(await messages(alice).count()).toBe(0))
  })

  it("bob's host stops: alice sees him offline, with when he was last seen", async () => {
    const alice = users.alice!.page
    await openConversation(alice, 'bob')
    await users.bob!.node.stop()
    await eventually(async () => expect(await chatStatus(alice).innerText()).toMatch(/^last seen /))
    await eventually(async () => expect(await headerDot(alice).getAttribute('data-state')).toBe('offline'))
    await alice.screenshot({ path: screenshotPath('presence-offline.png') })
    expect(users.alice!.watch.errors, 'alice: uncaught page errors').toEqual([])
  })
})
