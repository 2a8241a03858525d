/**
 * The built web host as `npm run web` starts it (node out/main/host.js): prints
 * its URL, serves the page, stops cleanly on SIGTERM, and explains a missing
 * renderer build.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs'
import { get } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { REPO_ROOT, requireRendererBuild } from '../helpers/e2e'

const HOST_JS = join(REPO_ROOT, 'out', 'main', 'host.js')
const children = new Set<ChildProcess>()
const dirs: string[] = []

function temp(name: string): string {
  const d = mkdtempSync(join(tmpdir(), `parley-hostproc-${name}-`))
  dirs.push(d)
  return d
}

function run(script: string, args: string[], env: NodeJS.ProcessEnv = {}) {
  const child = spawn(process.execPath, [script, ...args], {
    env: { ...process.env, PARLEY_LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  children.add(child)
  let stdout = ''
  let stderr = ''
  child.stdout!.on('data', (d) => (stdout += String(d)))
  child.stderr!.on('data', (d) => (stderr += String(d)))
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => {
      children.delete(child)
      resolve(code)
    }),
  )
  return {
    child,
    exited,
    out: () => stdout,
    err: () => stderr,
    waitForLine: (re: RegExp, timeout = 20_000) =>
      new Promise<RegExpMatchArray>((resolve, reject) => {
        const t = setTimeout(() => reject(new Error(`no line matching ${re} within ${timeout} ms; stdout: ${stdout} stderr: ${stderr}`)), timeout)
        const check = () => {
          const m = stdout.match(re)
          if (m) {
            clearTimeout(t)
            child.stdout!.off('data', check)
            resolve(m)
          }
        }
        child.stdout!.on('data', check)
        check()
        void exited.then(() => {
          clearTimeout(t)
          reject(new Error(`host exited early; stdout: ${stdout} stderr: ${stderr}`))
        })
      }),
  }
}

function fetchText(url: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    get(url, (res) => {
      let body = ''
      res.on('data', (d) => (body += String(d)))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }))
    }).on('error', reject)
  })
}

describe('node out/main/host.js', () => {
  afterAll(() => {
    for (const c of children) c.kill('SIGKILL')
    for (const d of dirs) rmSync(d, { recursive: true, force: true })
  })

  it('prints its URL, serves the app with the preload, and exits 0 on SIGTERM', async () => {
    requireRendererBuild()
    if (!existsSync(HOST_JS)) throw new Error(`${HOST_JS} is missing: run npm run build.`)
    const dataDir = temp('data')
    const p = run(HOST_JS, ['--data-dir', dataDir, '--port', '0'])
    const m = await p.waitForLine(/Parley web host for (.+) is running at (http:\/\/127\.0\.0\.1:(\d+)\/\?token=[A-Za-z0-9_-]+)\n/)
    expect(m[1]).toBe(dataDir)
    const page = await fetchText(m[2]!)
    expect(page.status).toBe(200)
    expect(page.body).toContain('<script type="module" src="/web-preload.js"></script>')
    expect((await fetchText(`http://127.0.0.1:${m[3]}/web-preload.js`)).status).toBe(200)
    p.child.kill('SIGTERM')
    expect(await p.exited).toBe(0)
    expect(existsSync(join(dataDir, 'history.db'))).toBe(true)
  })

  it('refuses bad arguments with exit code 1', async () => {
    if (!existsSync(HOST_JS)) throw new Error(`${HOST_JS} is missing: run npm run build.`)
    const p = run(HOST_JS, ['--port', 'eighty'])
    expect(await p.exited).toBe(1)
    expect(p.err()).toMatch(/--port must be a port number/)
  })

  it('explains a missing renderer build and exits 1', async () => {
    if (!existsSync(HOST_JS)) throw new Error(`${HOST_JS} is missing: run npm run build.`)
    // The main build alone, without out/renderer beside it.
    const root = temp('nobuild')
    cpSync(join(REPO_ROOT, 'out', 'main'), join(root, 'main'), { recursive: true })
    const p = run(join(root, 'main', 'host.js'), ['--data-dir', temp('data2')], { NODE_PATH: join(REPO_ROOT, 'node_modules') })
    expect(await p.exited).toBe(1)
    expect(p.err()).toMatch(/Run npm run build first/)
  })
})
