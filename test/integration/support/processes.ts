/**
 * Child processes for integration tests: the real `parley` bin (bin/parley.cjs →
 * the built out/main/cli.js) and a bare Parley core (parley-node.ts) to kill.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { existsSync } from 'node:fs'
import { join, resolve } from 'node:path'
import type { CoreTuning } from '../../../src/main/core/kernel/feature'

export const ROOT = resolve(__dirname, '../../..')
export const BIN = join(ROOT, 'bin/parley.cjs')
export const BUILT = join(ROOT, 'out/main/cli.js')
const NODE_SCRIPT = join(__dirname, 'parley-node.ts')

/** Builds the app (`npx electron-vite build`) when out/main/cli.js is missing; throws if that fails. */
export function requireBuiltCli(): void {
  if (existsSync(BUILT)) return
  const r = spawnSync('npx', ['electron-vite', 'build'], { cwd: ROOT, encoding: 'utf8', timeout: 25_000 })
  if (!existsSync(BUILT)) throw new Error(`out/main/cli.js is missing and \`npx electron-vite build\` did not make it:\n${r.stderr ?? r.error}`)
}

export interface Run {
  code: number | null
  stdout: string
  stderr: string
}

/** Runs `parley args…` to completion (killed and rejected after `timeoutMs`). */
export function parley(args: string[], opts: { timeoutMs?: number; env?: NodeJS.ProcessEnv } = {}): Promise<Run> {
  const timeoutMs = opts.timeoutMs ?? 20_000
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, env: { ...process.env, PARLEY_DATA_DIR: '', ...opts.env } })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d) => (stdout += String(d)))
    child.stderr.on('data', (d) => (stderr += String(d)))
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error(`parley ${args.join(' ')} did not finish in ${timeoutMs} ms\n${stderr}`))
    }, timeoutMs)
    child.on('exit', (code) => {
      clearTimeout(timer)
      resolvePromise({ code, stdout, stderr })
    })
  })
}

/** A process that keeps running until the test stops it; its output so far, and its exit. */
export class Running {
  stdout = ''
  stderr = ''
  readonly exited: Promise<number | null>

  constructor(readonly child: ChildProcess) {
    child.stdout?.on('data', (d) => (this.stdout += String(d)))
    child.stderr?.on('data', (d) => (this.stderr += String(d)))
    this.exited = new Promise((r) => child.once('exit', (code) => r(code)))
  }

  /** Waits until `text` appears on stdout or stderr. */
  async waitFor(text: string, timeoutMs = 15_000): Promise<void> {
    const deadline = Date.now() + timeoutMs
    while (!this.stdout.includes(text) && !this.stderr.includes(text)) {
      if (this.child.exitCode !== null) throw new Error(`the process exited (${this.child.exitCode}) before printing "${text}"\n${this.stderr}`)
      if (Date.now() > deadline) throw new Error(`no "${text}" within ${timeoutMs} ms\n${this.stdout}\n${this.stderr}`)
      await new Promise((r) => setTimeout(r, 20))
    }
  }

  /** Stops it with `signal` and waits for the exit (a no-op if it has exited). */
  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<number | null> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill(signal)
    return this.exited
  }
}

/** Starts `parley args…` in the background (e.g. `listen`). */
export function startParley(args: string[], env: NodeJS.ProcessEnv = {}): Running {
  return new Running(spawn(process.execPath, [BIN, ...args], { cwd: ROOT, env: { ...process.env, PARLEY_DATA_DIR: '', ...env } }))
}

/** Starts a bare Parley core in its own process (prints "connected" once it is). */
export function startNode(args: { dataDir: string; user: string; url: string; tuning?: Partial<CoreTuning> }): Running {
  return new Running(spawn(process.execPath, ['--import', 'tsx', NODE_SCRIPT, JSON.stringify(args)], { cwd: ROOT, env: process.env }))
}
