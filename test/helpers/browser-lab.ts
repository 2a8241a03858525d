/**
 * The frame of a browser end-to-end file: one Mosquitto (unless the file uses the
 * built-in broker), one Chromium, and people who each have a data directory of
 * their own, an engine with its web host and, most of them, a page. The hooks it
 * registers print what every page and engine said when a test fails, and close and
 * remove everything after the file.
 */
import type { Browser } from 'playwright-core'
import { afterAll, afterEach, beforeAll, expect } from 'vitest'
import { eventually, launchChromium, removeDir, requireRendererBuild, startNode, tempDataDir, type ParleyNode } from './e2e'
import { startMosquitto, type Mosquitto, type MosquittoOptions } from './mosquitto'
import { openUser, printUsers, setUpWithUrl, type UiUser } from './ui'

export interface BrowserLabOptions {
  /** The broker's options, or false for a file without Mosquitto (the built-in broker). */
  mosquitto?: MosquittoOptions | false
}

export interface BrowserLab {
  /** The file's Mosquitto, once the hooks have started it. */
  readonly broker: Mosquitto
  readonly browser: Browser
  /** Everyone with a page, by name. */
  readonly users: Record<string, UiUser>
  /** Each name's data directory: the same one again when they start again. */
  readonly dirs: Record<string, string>
  /** Starts an engine over `name`'s data directory and opens its page in a fresh browser context. */
  openUser(name: string, width?: number): Promise<UiUser>
  /** Sets `user` up on the file's Mosquitto through the first-run screen. */
  setUp(user: UiUser, screenshot?: string): Promise<void>
  /** openUser, then setUp. */
  startUser(name: string, width?: number): Promise<UiUser>
  /** An engine with its web host over `name`'s data directory, as that directory is (a restart). */
  startNode(name: string): Promise<ParleyNode>
  /** Someone without a page: an engine set up on the file's Mosquitto through the API, connected. */
  startHeadless(name: string): Promise<ParleyNode>
}

export function useBrowserLab(options: BrowserLabOptions = {}): BrowserLab {
  let mosquitto: Mosquitto | undefined
  let browser: Browser | undefined
  const users: Record<string, UiUser> = {}
  const dirs: Record<string, string> = {}
  const nodes: ParleyNode[] = []
  const dirOf = (name: string): string => (dirs[name] ??= tempDataDir(name))

  beforeAll(async () => {
    requireRendererBuild()
    if (options.mosquitto !== false) mosquitto = await startMosquitto(options.mosquitto ?? {})
    browser = await launchChromium()
  })

  afterEach(({ task }) => {
    if (task.result?.state === 'fail') printUsers(Object.values(users))
  })

  afterAll(async () => {
    for (const u of Object.values(users)) await u.context.close().catch(() => {})
    await browser?.close().catch(() => {})
    // The last started first: someone who joined the built-in broker before the one hosting it.
    for (const n of [...nodes].reverse()) await n.stop().catch(() => {})
    await mosquitto?.stop()
    for (const d of Object.values(dirs)) removeDir(d)
  })

  const lab: BrowserLab = {
    get broker() {
      if (!mosquitto) throw new Error(options.mosquitto === false ? 'this browser lab has no Mosquitto' : 'Mosquitto starts in beforeAll')
      return mosquitto
    },
    get browser() {
      if (!browser) throw new Error('Chromium starts in beforeAll')
      return browser
    },
    users,
    dirs,
    async openUser(name, width) {
      const user = await openUser(lab.browser, name, dirOf(name), width)
      nodes.push(user.node)
      users[name] = user
      return user
    },
    async setUp(user, screenshot) {
      await setUpWithUrl(user.page, user.name, lab.broker.url, screenshot)
    },
    async startUser(name, width) {
      const user = await lab.openUser(name, width)
      await lab.setUp(user)
      return user
    },
    async startNode(name) {
      const node = await startNode(name, dirOf(name))
      nodes.push(node)
      return node
    },
    async startHeadless(name) {
      const node = await lab.startNode(name)
      await node.core.services.account.setup({ user: name, broker: { kind: 'url', url: lab.broker.url } })
      await eventually(async () => expect((await node.core.services.account.getState()).connection.state).toBe('connected'))
      return node
    },
  }
  return lab
}
