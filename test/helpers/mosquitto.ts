/**
 * Starts a real Mosquitto on a free 127.0.0.1 port for one test file.
 * Under CI=true a missing binary is an error, never a skip.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, writeFileSync, rmSync, existsSync } from 'node:fs'
import { createServer, connect } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export const MOSQUITTO_BIN = ['/usr/sbin/mosquitto', '/usr/bin/mosquitto'].find((p) => existsSync(p)) ?? null

export function requireBinary(path: string | null, what: string): string {
  if (path) return path
  throw new Error(`${what} is not installed. Run: apt-get install -y mosquitto mosquitto-clients chromium (bash .ci/run does this).`)
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer()
    srv.unref()
    srv.on('error', reject)
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address()
      const port = typeof addr === 'object' && addr ? addr.port : 0
      srv.close(() => resolve(port))
    })
  })
}

async function waitForPort(port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const sock = connect(port, '127.0.0.1')
      sock.once('connect', () => {
        sock.destroy()
        resolve(true)
      })
      sock.once('error', () => resolve(false))
    })
    if (ok) return
    if (Date.now() > deadline) throw new Error(`mosquitto did not listen on ${port} within ${timeoutMs} ms`)
    await new Promise((r) => setTimeout(r, 50))
  }
}

export interface Mosquitto {
  port: number
  url: string
  /** Stops the broker; `restart()` brings it back on the same port with its persistence. */
  stop(): Promise<void>
  restart(): Promise<void>
  /** Replaces the ACL file's lines and has the running broker read it again (SIGHUP). */
  reloadAcl(lines: string[]): Promise<void>
}

export interface MosquittoOptions {
  /** Extra lines for mosquitto.conf. */
  config?: string[]
  /**
   * Lines of an ACL file (`acl_file`). With `allow_anonymous true`, `topic` lines
   * before any `user` line apply to anonymous clients; `pattern` lines to everyone.
   */
  acl?: string[]
}

export async function startMosquitto(opts: MosquittoOptions = {}): Promise<Mosquitto> {
  const bin = requireBinary(MOSQUITTO_BIN, 'mosquitto')
  const dir = mkdtempSync(join(tmpdir(), 'parley-mosq-'))
  const port = await freePort()
  const conf = join(dir, 'mosquitto.conf')
  const acl = join(dir, 'acl')
  if (opts.acl) writeFileSync(acl, opts.acl.join('\n') + '\n')
  writeFileSync(
    conf,
    [
      `listener ${port} 127.0.0.1`,
      'allow_anonymous true',
      'persistence true',
      `persistence_location ${dir}/`,
      'max_queued_messages 100000',
      'set_tcp_nodelay true',
      'log_dest none',
      // Started as root, Mosquitto drops to the `mosquitto` user and then cannot read the
      // private temp dir (ACL file, persistence): keep it as the user who runs the tests.
      ...(process.getuid?.() === 0 ? ['user root'] : []),
      ...(opts.acl ? [`acl_file ${acl}`] : []),
      ...(opts.config ?? []),
    ].join('\n') + '\n',
  )
  let child: ChildProcess | null = null
  const start = async () => {
    child = spawn(bin, ['-c', conf], { stdio: ['ignore', 'ignore', 'pipe'] })
    let stderr = ''
    child.stderr?.on('data', (d) => (stderr += String(d)))
    const exited = new Promise<never>((_, reject) =>
      child!.once('exit', (code) => reject(new Error(`mosquitto exited early (${code}): ${stderr}`))),
    )
    exited.catch(() => {})
    await Promise.race([waitForPort(port, 10_000), exited])
  }
  const stop = async () => {
    const c = child
    child = null
    if (!c || c.exitCode !== null) return
    await new Promise<void>((resolve) => {
      c.once('exit', () => resolve())
      c.kill('SIGTERM')
      setTimeout(() => c.kill('SIGKILL'), 3000).unref()
    })
  }
  await start()
  return {
    port,
    url: `mqtt://127.0.0.1:${port}`,
    stop: async () => {
      await stop()
      rmSync(dir, { recursive: true, force: true })
    },
    restart: async () => {
      await stop()
      await start()
    },
    reloadAcl: async (lines) => {
      if (!opts.acl) throw new Error('reloadAcl: the broker was started without an ACL file')
      writeFileSync(acl, lines.join('\n') + '\n')
      ;(child as ChildProcess | null)?.kill('SIGHUP')
      await new Promise((r) => setTimeout(r, 300)) // mosquitto reloads between network loops
    },
  }
}
