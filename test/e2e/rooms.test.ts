/**
 * Open rooms in the real renderer in Chromium over a real Mosquitto: alice joins
 * `sensors/#` at QoS 2 from "Join a room" (after the dialog refused `IMS/#` and
 * `$SYS/#`); what mosquitto_pub publishes shows with its sender and topic, the
 * retained value once with its mark; the header says the filter and QoS. Then she
 * creates a random room, gets its link and code, and her post reaches mosquitto_sub
 * in seed 004's format. Screenshots: the wildcard room light and dark, wide and
 * narrow, and the dialog with the new room's link.
 *
 * The tests in this file run in order and share state.
 */
import { execFile, spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { promisify } from 'node:util'
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { useBrowserLab } from '../helpers/browser-lab'
import { eventually, screenshotPath } from '../helpers/e2e'
import { requireBinary } from '../helpers/mosquitto'
import { messages, send, shownTexts, type UiUser } from '../helpers/ui'

const run = promisify(execFile)
const PUB = requireBinary(existsSync('/usr/bin/mosquitto_pub') ? '/usr/bin/mosquitto_pub' : null, 'mosquitto_pub')
const SUB = requireBinary(existsSync('/usr/bin/mosquitto_sub') ? '/usr/bin/mosquitto_sub' : null, 'mosquitto_sub')

const lab = useBrowserLab()
let alice: UiUser

const pub = (args: string[]) => run(PUB, ['-h', '127.0.0.1', '-p', String(lab.broker.port), ...args])

/** Dialogs fade in: a screenshot waits until nothing moves. */
async function settled(page: Page): Promise<void> {
  await page.waitForFunction("document.getAnimations().every((a) => a.playState !== 'running')")
}

async function shot(page: Page, name: string): Promise<void> {
  await settled(page)
  await page.screenshot({ path: screenshotPath(name) })
}

describe('open rooms in the browser', () => {
  it('Join a room refuses Parley\'s own namespace and $SYS, then joins sensors/# at QoS 2', async () => {
    await pub(['-q', '1', '-r', '-t', 'sensors/door', '-m', 'closed'])
    alice = await lab.startUser('alice')
    const page = alice.page
    await page.getByTestId('join-room-button').click()
    const dialog = page.getByTestId('join-room-dialog')
    await dialog.waitFor()
    const input = dialog.getByTestId('room-input')
    await input.fill('IMS/#')
    await eventually(async () => expect(await dialog.getByTestId('room-input-error').innerText()).toMatch(/Parley's own topics under IMS/))
    await input.fill('$SYS/#')
    await eventually(async () => expect(await dialog.getByTestId('room-input-error').innerText()).toMatch(/\$SYS/))
    await input.fill('sensors/#')
    expect(await dialog.getByTestId('room-input-error').count()).toBe(0)
    await dialog.getByTestId('room-qos').selectOption('2')
    await dialog.getByTestId('join-room').click()
    await dialog.waitFor({ state: 'detached' })

    await eventually(async () => expect(await page.getByTestId('chat-title').innerText()).toBe('sensors/#'))
    expect(await page.getByTestId('chat-status').innerText()).toBe('Topic filter sensors/# · QoS 2 · read only')
    expect(await page.locator('[data-testid="conversation-item"][data-id="room:sensors/#"]').count()).toBe(1)
  })

  it('shows what mosquitto_pub publishes with its sender and topic, the retained value once and marked', async () => {
    const page = alice.page
    await eventually(async () => expect(await shownTexts(page)).toEqual(['closed']))
    await pub(['-q', '2', '-t', 'sensors/kitchen/temp', '-m', '21.5 °C'])
    await pub(['-q', '2', '-t', 'sensors/hall/motion', '-m', 'dave (pir-7): motion in the hall'])
    await pub(['-q', '1', '-t', 'sensors/hall/motion', '-m', 'dave (pir-7): and again'])
    await eventually(async () => expect(await shownTexts(page)).toEqual(['closed', '21.5 °C', 'motion in the hall', 'and again']))

    const bubbles = messages(page, 'in')
    expect(await bubbles.getByTestId('message-topic').allInnerTexts()).toEqual(['sensors/door', 'sensors/kitchen/temp', 'sensors/hall/motion', 'sensors/hall/motion'])
    // The retained value only is marked; the sender's name heads each run of one sender's messages.
    expect(await bubbles.evaluateAll((els) => els.map((e) => e.querySelector('[data-testid="message-retained"]') !== null))).toEqual([true, false, false, false])
    expect(await bubbles.getByTestId('message-sender').allInnerTexts()).toEqual(['door', 'temp', 'dave'])
    // A filter has no composer: it names many topics and no one to post to.
    expect(await page.getByTestId('composer').count()).toBe(0)
    expect(await page.getByTestId('composer-read-only').innerText()).toBe(
      'sensors/# is a topic filter: it can be read, not written to. To post, join one of its topics (without + or #).',
    )

    await shot(page, 'room-wildcard-1100.png')
    await page.emulateMedia({ colorScheme: 'dark' })
    await shot(page, 'room-wildcard-dark-1100.png')
    await page.setViewportSize({ width: 420, height: 720 })
    await shot(page, 'room-wildcard-dark-420.png')
    await page.emulateMedia({ colorScheme: 'light' })
    await page.setViewportSize({ width: 1100, height: 720 })
  })

  it('creates a random room with a link and a code; a post there reaches mosquitto_sub in seed 004\'s format', async () => {
    const page = alice.page
    await page.getByTestId('join-room-button').click()
    const dialog = page.getByTestId('join-room-dialog')
    await dialog.getByTestId('create-room').click()
    const code = await eventually(async () => {
      const text = await dialog.getByTestId('created-room-code').innerText()
      expect(text).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/)
      return text
    })
    const topic = await dialog.getByTestId('created-room-topic').innerText()
    expect(topic).toBe(`parley/rooms/${code.replaceAll('-', '').toLowerCase()}`)
    expect(await dialog.getByTestId('created-room-link').innerText()).toBe(`parley://room?topic=${encodeURIComponent(topic)}&qos=1`)
    await shot(page, 'room-created-1100.png')
    await dialog.getByTestId('join-room-done').click()
    await eventually(async () => expect(await page.getByTestId('chat-title').innerText()).toBe(topic))
    expect(await page.getByTestId('chat-status').innerText()).toBe(`Open room ${topic} · QoS 1`)

    const sub = spawn(SUB, ['-h', '127.0.0.1', '-p', String(lab.broker.port), '-q', '1', '-t', topic, '-C', '1', '-W', '15'])
    let heard = ''
    sub.stdout.on('data', (d) => (heard += String(d)))
    await new Promise((r) => setTimeout(r, 300))
    await send(page, 'Anyone here?')
    await eventually(async () => expect(heard.trim()).toMatch(/^alice \([0-9a-f]+\): Anyone here\?$/))
    await eventually(async () => expect(await messages(page, 'out').getAttribute('data-status')).toBe('sent'))
    expect(await shownTexts(page)).toEqual(['Anyone here?'])
    sub.kill()
  })
})
