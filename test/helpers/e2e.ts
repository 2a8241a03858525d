/**
 * Shared pieces of the browser end-to-end tests: the renderer build, a Chromium
 * from the system (never downloaded), and one "Parley node" = a ParleyCore plus
 * its web host, as `npm run web` runs them, but in-process.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { chromium, type Browser, type Page } from 'playwright-core'
import { vi } from 'vitest'
import { ParleyCore, type CoreOptions } from '../../src/main/core/engine'
import { startWebHost, type WebHost } from '../../src/host/server'
import { MemoryLog } from './memory-log'

export { MemoryLog }

export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url))
/** The renderer build (PARLEY_E2E_RENDERER_DIR points elsewhere, e.g. to try a build by hand). */
export const RENDERER_DIR = process.env.PARLEY_E2E_RENDERER_DIR || join(REPO_ROOT, 'out', 'renderer')
export const SCREENSHOT_DIR = join(REPO_ROOT, 'test-results', 'e2e')
export const CHROMIUM = '/usr/bin/chromium'

/** Fails (never skips) when the renderer has not been built. */
export function requireRendererBuild(files: readonly string[] = ['index.html', 'web-preload.js']): string {
  for (const file of files) {
    const p = join(RENDERER_DIR, file)
    if (!existsSync(p)) throw new Error(`${p} is missing: run npm run build (npm test builds before vitest).`)
  }
  return RENDERER_DIR
}

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} is not installed. Run: apt-get install -y chromium (bash .ci/run does this).`)
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    timeout: 30_000,
  })
}

export function screenshotPath(name: string): string {
  mkdirSync(SCREENSHOT_DIR, { recursive: true })
  return join(SCREENSHOT_DIR, name)
}

/** Keeps engine log lines in memory; a failing test prints them. */

export interface ParleyNode {
  name: string
  dataDir: string
  core: ParleyCore
  host: WebHost
  log: MemoryLog
  /** Closes the host, then the engine (as the host process does on SIGTERM). */
  stop(): Promise<void>
}

export function tempDataDir(name: string): string {
  return mkdtempSync(join(tmpdir(), `parley-e2e-${name}-`))
}

export function removeDir(dir: string | undefined): void {
  if (dir) rmSync(dir, { recursive: true, force: true })
}

/** Opens a ParleyCore on `dataDir` and a web host for it. */
export async function startNode(
  name: string,
  dataDir: string,
  rendererDir = RENDERER_DIR,
  options: Omit<CoreOptions, 'dataDir' | 'log'> = {},
): Promise<ParleyNode> {
  const log = new MemoryLog(name)
  const core = await ParleyCore.open({ ...options, dataDir, log })
  let host: WebHost
  try {
    host = await startWebHost({ core, rendererDir, log })
  } catch (err) {
    await core.close()
    throw err
  }
  let stopped = false
  return {
    name,
    dataDir,
    core,
    host,
    log,
    async stop() {
      if (stopped) return
      stopped = true
      try {
        await host.close()
      } finally {
        await core.close()
      }
    },
  }
}

/** Records what a page reports, so failures can show it and tests can assert on it. */
export function watchPage(name: string, page: Page): { errors: string[]; console: string[]; dialogs: string[] } {
  const out = { errors: [] as string[], console: [] as string[], dialogs: [] as string[] }
  page.on('pageerror', (err) => out.errors.push(`[${name}] ${err.message}`))
  page.on('console', (msg) => {
    if (msg.type() === 'error' || msg.type() === 'warning') out.console.push(`[${name}] ${msg.type()}: ${msg.text()}`)
  })
  page.on('dialog', (d) => {
    out.dialogs.push(`[${name}] ${d.type()}: ${d.message()}`)
    void d.dismiss().catch(() => {})
  })
  return out
}

/** Retries `fn` until it stops throwing (web-first assertions for playwright-core). */
export function eventually<T>(fn: () => T | Promise<T>, timeout = 15_000): Promise<T> {
  return vi.waitFor(fn, { timeout, interval: 100 })
}
