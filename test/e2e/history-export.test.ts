/**
 * Export and import of the history in the real renderer in Chromium: alice exports
 * her chat with bob (hostile texts) from the chat header as a web page and sees
 * "Saved to PATH" with a full progress bar; the page holds every text escaped.
 * Then Settings › History › Import… takes a JSON export picked as a file: its
 * messages appear in the chat, and a second import adds nothing. Screenshots go to
 * SHOTS_DIR. The tests in this file run in order and share state.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { useBrowserLab } from '../helpers/browser-lab'
import { eventually, SCREENSHOT_DIR } from '../helpers/e2e'
import { conversationWith, openConversation, shownTexts, type UiUser } from '../helpers/ui'

const SHOTS_DIR = process.env.PARLEY_SHOTS_DIR || join(SCREENSHOT_DIR, 'history-export')
const lab = useBrowserLab()
const T = Date.UTC(2026, 10, 2, 9, 0)
const uuid = (n: number) => `00000000-0000-7000-8000-${String(n).padStart(12, '0')}`

async function shot(page: Page, name: string): Promise<void> {
  mkdirSync(SHOTS_DIR, { recursive: true })
  await page.emulateMedia({ colorScheme: 'light' })
  await page.waitForTimeout(200)
  await page.screenshot({ path: join(SHOTS_DIR, `${name}-light.png`) })
  await page.emulateMedia({ colorScheme: 'dark' })
  await page.waitForTimeout(200)
  await page.screenshot({ path: join(SHOTS_DIR, `${name}-dark.png`) })
}

/** A Parley export of alice's chat with `peer`, as another Parley of hers wrote it. */
function exportOf(peer: string, texts: string[], first: number): string {
  return JSON.stringify({
    format: 'parley-history',
    version: 1,
    exportedAt: new Date().toISOString(),
    account: 'alice',
    conversations: [
      {
        id: `dm:${peer}`,
        kind: 'dm',
        peer,
        title: peer,
        messages: texts.map((text, i) => ({ id: uuid(first + i), sender: i % 2 ? 'alice' : peer, direction: i % 2 ? 'out' : 'in', ts: T + (first + i) * 60_000, text, status: i % 2 ? 'read' : 'received' })),
      },
    ],
  })
}

describe('history export and import in the browser', () => {
  let alice: UiUser

  it('exports the chat with bob as a web page from the chat header: progress, then "Saved to PATH"; the page shows every text escaped', async () => {
    alice = await lab.startUser('alice', 1100)
    const { page } = alice
    const texts = ['<script>alert("x")</script>', '**not bold** & &amp;', 'שלום 北京 🎉']
    await alice.node.core.services.history.importHistory({ text: exportOf('bob', texts, 1) })
    await conversationWith(page, 'bob').waitFor()
    await openConversation(page, 'bob')
    await eventually(async () => expect(await shownTexts(page)).toEqual(texts))
    // Imported messages are old news: no unread count on the row.
    expect(await conversationWith(page, 'bob').getByTestId('unread-badge').count()).toBe(0)

    await page.getByTestId('export-chat').click()
    const dialog = page.getByTestId('history-dialog')
    await dialog.waitFor()
    expect(await dialog.getByRole('heading').innerText()).toBe('Export chat')
    await page.getByTestId('export-format-html').check()
    await shot(page, 'export-dialog-1100')
    await page.getByTestId('export-start').click()
    const result = page.getByTestId('history-result')
    await result.waitFor()
    const said = await result.innerText()
    expect(said).toMatch(/^Saved to .*parley-bob-\d{4}-\d\d-\d\d-\d{4}\.html$/)
    expect(await page.getByRole('progressbar').getAttribute('aria-valuenow')).toBe('100')
    // The Export button pressed went away as the job started: the focus is not lost, it is on Done.
    await expect.poll(() => page.locator(':focus').getAttribute('data-testid')).toBe('history-done')
    await shot(page, 'export-done-1100')
    const html = readFileSync(said.slice('Saved to '.length), 'utf8')
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;')
    expect(html).toContain('**not bold** &amp; &amp;amp;')
    expect(html).not.toContain('<script')
    await page.getByTestId('history-done').click()
    await dialog.waitFor({ state: 'hidden' })
    // On a narrow window the header keeps the title readable beside the button.
    await page.setViewportSize({ width: 420, height: 720 })
    await page.waitForTimeout(300)
    await shot(page, 'chat-header-420')
    await page.setViewportSize({ width: 1100, height: 720 })
  })

  it('imports a JSON export picked in Settings › History; a second import of it adds nothing', async () => {
    const { page } = alice
    const file = join(lab.dirs.alice!, 'from-laptop.json')
    writeFileSync(file, exportOf('carol', ['hi alice', 'hi carol'], 10))

    const importIt = async (expected: string) => {
      await page.getByTestId('open-settings').click()
      await page.locator('[data-testid="settings-nav-item"][data-section="history"]').click()
      await page.getByTestId('import-history').click()
      // In the section itself: the settings screen is a modal dialog.
      await page.getByTestId('history-section').getByTestId('history-panel').waitFor()
      await page.getByTestId('import-file').setInputFiles(file)
      await eventually(async () => expect(await page.getByTestId('history-result').innerText()).toBe(expected))
      await shot(page, 'import-done-1100')
      await page.getByTestId('history-done').click()
      await page.getByTestId('import-history').waitFor()
      await page.keyboard.press('Escape')
      await page.getByTestId('settings').waitFor({ state: 'hidden' })
    }
    await importIt('Imported 2 messages, 0 already here.')
    await conversationWith(page, 'carol').waitFor()
    await openConversation(page, 'carol')
    await eventually(async () => expect(await shownTexts(page)).toEqual(['hi alice', 'hi carol']))
    await importIt('Imported 0 messages, 2 already here.')
    expect(await shownTexts(page)).toEqual(['hi alice', 'hi carol'])

    // A file over the web bridge's 1 MB message limit goes up in parts.
    const big = join(lab.dirs.alice!, 'big.json')
    writeFileSync(big, exportOf('dave', Array.from({ length: 8000 }, (_, i) => `message ${i} from an older computer, long enough to make the file large`), 100))
    await page.getByTestId('open-settings').click()
    await page.locator('[data-testid="settings-nav-item"][data-section="history"]').click()
    await page.getByTestId('import-history').click()
    await page.getByTestId('import-file').setInputFiles(big)
    await eventually(async () => expect(await page.getByTestId('history-result').innerText()).toBe('Imported 8,000 messages, 0 already here.'), 30_000)
    await page.getByTestId('history-done').click()
    await page.keyboard.press('Escape')
    await page.getByTestId('settings').waitFor({ state: 'hidden' })
    await conversationWith(page, 'dave').waitFor()

    // Not an export: the dialog says so and nothing starts.
    writeFileSync(file, 'just notes')
    await page.getByTestId('open-settings').click()
    await page.locator('[data-testid="settings-nav-item"][data-section="history"]').click()
    await page.getByTestId('import-history').click()
    await page.getByTestId('import-file').setInputFiles(file)
    expect(await page.getByTestId('history-error').innerText()).toBe('from-laptop.json is not a Parley history export (the JSON file that Export writes).')
    await shot(page, 'import-refused-1100')
  })
})
