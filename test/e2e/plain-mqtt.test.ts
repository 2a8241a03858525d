/**
 * docs/protocol.md's promise: a plain MQTT client — the real `mosquitto_pub` —
 * following the doc alone reaches a Parley user, and a plain `mosquitto_sub`
 * reads what Parley sends.
 */
import { spawn, execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import { promisify } from 'node:util'
import { beforeAll, describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { useBrowserLab } from '../helpers/browser-lab'
import { requireBinary } from '../helpers/mosquitto'
import { screenshotPath, watchPage, type ParleyNode } from '../helpers/e2e'

const run = promisify(execFile)
const PUB = requireBinary(existsSync('/usr/bin/mosquitto_pub') ? '/usr/bin/mosquitto_pub' : null, 'mosquitto_pub')
const SUB = requireBinary(existsSync('/usr/bin/mosquitto_sub') ? '/usr/bin/mosquitto_sub' : null, 'mosquitto_sub')

describe('plain MQTT clients and Parley', () => {
  const lab = useBrowserLab()
  let bob: ParleyNode
  let page: Page
  let watch: ReturnType<typeof watchPage>

  beforeAll(async () => {
    bob = await lab.startHeadless('bob')
    // Plain MQTT publishers are nobody's contacts: bob lets anyone's messages into his list (Settings › Privacy).
    await bob.core.services.messageRequests.setAcceptFromAnyone(true)
    page = await (await lab.browser.newContext({ viewport: { width: 1100, height: 720 } })).newPage()
    watch = watchPage('bob', page)
    await page.goto(bob.host.url)
    await page.getByTestId('app-shell').waitFor()
  })

  it('shows a plain-text message published with mosquitto_pub, exactly as the doc says', async () => {
    // The command from docs/protocol.md, with this test's port.
    await run(PUB, ['-h', '127.0.0.1', '-p', String(lab.broker.port), '-q', '1', '-t', 'IMS/bob/Inbox/Msg/carol', '-m', 'Hi Bob, this is Carol from the shell'])
    const row = page.locator('[data-testid="conversation-item"][data-peer="carol"]')
    await row.waitFor()
    await expect.poll(() => row.getByTestId('unread-count').textContent()).toBe('1')
    await row.click()
    const msg = page.getByTestId('message').last()
    await expect.poll(() => msg.getByTestId('message-text').textContent()).toBe('Hi Bob, this is Carol from the shell')
    expect(await msg.getAttribute('data-direction')).toBe('in')
    await page.screenshot({ path: screenshotPath('plain-mosquitto-pub.png') })
  })

  it('shows an envelope published with mosquitto_pub', async () => {
    const envelope = JSON.stringify({ v: 1, id: crypto.randomUUID(), type: 'text', from: 'carol', ts: Date.now(), body: { text: 'Hi with an envelope' } })
    await run(PUB, ['-h', '127.0.0.1', '-p', String(lab.broker.port), '-q', '1', '-t', 'IMS/bob/Inbox/Msg/carol', '-m', envelope])
    await expect.poll(() => page.getByTestId('message-text').last().textContent()).toBe('Hi with an envelope')
  })

  it('drops a malformed payload without disturbing the chat', async () => {
    await run(PUB, ['-h', '127.0.0.1', '-p', String(lab.broker.port), '-q', '1', '-t', 'IMS/bob/Inbox/Msg/carol', '-m', '{"v":1,"broken"'])
    await run(PUB, ['-h', '127.0.0.1', '-p', String(lab.broker.port), '-q', '1', '-t', 'IMS/bob/Inbox/Msg/carol', '-m', 'still here'])
    await expect.poll(() => page.getByTestId('message-text').last().textContent()).toBe('still here')
    await expect.poll(() => page.getByTestId('message').count()).toBe(3)
    expect(bob.log.lines.some((l) => l.includes('dropped an incoming message') && l.includes('malformed JSON'))).toBe(true)
    expect(await page.getByTestId('connection-status').getAttribute('data-state')).toBe('connected')
  })

  it('sends what mosquitto_sub can read', async () => {
    const sub = spawn(SUB, ['-h', '127.0.0.1', '-p', String(lab.broker.port), '-q', '1', '-C', '1', '-W', '10', '-t', 'IMS/carol/Inbox/Msg/+'])
    let out = ''
    sub.stdout.on('data', (d) => (out += String(d)))
    const exited = new Promise<number | null>((r) => sub.on('exit', r))
    await new Promise((r) => setTimeout(r, 300)) // let mosquitto_sub subscribe
    await page.getByTestId('composer').fill('Hello Carol, from Parley')
    await page.keyboard.press('Enter')
    expect(await exited).toBe(0)
    const env = JSON.parse(out)
    expect(env).toMatchObject({ v: 1, type: 'text', from: 'bob', body: { text: 'Hello Carol, from Parley' } })
    await expect.poll(() => page.getByTestId('message').last().getAttribute('data-status')).toBe('sent')
    expect(watch.errors).toEqual([])
  })
})
