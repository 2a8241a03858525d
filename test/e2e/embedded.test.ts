/**
 * The zero-config path: a user picks "Built-in local broker" on the set-up
 * screen; a second user on the same machine joins that broker; they exchange a
 * message in the browser. No Mosquitto involved.
 */
import { describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import type { ParleyApi } from '../../src/shared/contract'
import { useBrowserLab } from '../helpers/browser-lab'
import { freePort } from '../helpers/mosquitto'
import { eventually, screenshotPath } from '../helpers/e2e'
import { befriend, type UiUser } from '../helpers/ui'

type ParleyWindow = { parley: ParleyApi }

// No Mosquitto: the people here bring their own broker.
const { openUser } = useBrowserLab({ mosquitto: false })

/**
 * Chooses the built-in broker on the set-up screen. The screen may or may not
 * offer a port field; without one the port goes in through the same API the
 * screen uses, and the page is reloaded to show the result.
 */
async function setUpEmbedded(u: UiUser, port: number): Promise<void> {
  const { page } = u
  await page.getByTestId('setup-user').waitFor({ state: 'visible' })
  await page.getByTestId('setup-user').fill(u.name)
  await page.getByTestId('setup-broker-embedded').check()
  const portField = page.getByTestId('setup-port')
  if ((await portField.count()) > 0) {
    await portField.fill(String(port))
    await page.getByTestId('setup-submit').click()
  } else {
    await page.evaluate(
      async ({ user, port }) => {
        await (globalThis as unknown as ParleyWindow).parley.account.setup({ user, broker: { kind: 'embedded', port } })
      },
      { user: u.name, port },
    )
    await page.reload()
  }
  await page.getByTestId('app-shell').waitFor({ state: 'visible' })
  await eventually(async () => expect(await page.getByTestId('connection-status').getAttribute('data-state')).toBe('connected'))
  const state = await page.evaluate(() => (globalThis as unknown as ParleyWindow).parley.account.getState())
  expect(state.broker).toMatchObject({ kind: 'embedded', port })
}

async function send(page: Page, text: string): Promise<void> {
  await page.getByTestId('composer').fill(text)
  await page.getByTestId('composer').press('Enter')
}

function texts(page: Page, direction: 'in' | 'out'): Promise<string[]> {
  return page.getByTestId('message').and(page.locator(`[data-direction="${direction}"]`)).getByTestId('message-text').allInnerTexts()
}

describe('two people on the built-in broker', () => {
  it('carol hosts the broker, dave joins it, and they exchange a message', async () => {
    const port = await freePort()
    const carol = await openUser('carol')
    const dave = await openUser('dave')
    await setUpEmbedded(carol, port)
    await setUpEmbedded(dave, port)
    await befriend(carol, dave)

    await carol.page.getByTestId('new-conversation').click()
    await carol.page.getByTestId('new-conversation-input').fill('dave')
    await carol.page.getByTestId('new-conversation-input').press('Enter')
    await eventually(async () => expect(await carol.page.getByTestId('chat-title').innerText()).toContain('dave'))
    await send(carol.page, 'Hello over the built-in broker')

    const item = dave.page.getByTestId('conversation-item').and(dave.page.locator('[data-peer="carol"]'))
    await item.waitFor({ state: 'visible' })
    await item.click()
    await eventually(async () => expect(await texts(dave.page, 'in')).toEqual(['Hello over the built-in broker']))
    await send(dave.page, 'Loud and clear')
    await eventually(async () => expect(await texts(carol.page, 'in')).toEqual(['Loud and clear']))
    await eventually(async () => {
      const s = await carol.page.getByTestId('message').and(carol.page.locator('[data-direction="out"]')).getAttribute('data-status')
      // dave's Parley stored it and he has the conversation open: receipts work over the built-in broker too.
      expect(s).toBe('read')
    })
    await carol.page.screenshot({ path: screenshotPath('embedded-carol.png') })
    expect(carol.watch.errors).toEqual([])
    expect(dave.watch.errors).toEqual([])
  })
})
