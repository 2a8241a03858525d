/**
 * The frame of a CLI integration file: the built bin, one Mosquitto, and one temp
 * folder holding each user's data directory (and any file a test writes); the
 * processes a test leaves running are killed, the broker stopped and the folder
 * removed after the file.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll } from 'vitest'
import { startMosquitto, type Mosquitto, type MosquittoOptions } from '../../helpers/mosquitto'
import { requireBuiltCli, startParley, type Running } from './processes'

export interface CliLab {
  /** The file's Mosquitto, once beforeAll has started it. */
  readonly broker: Mosquitto
  /** The folder of this file's data directories and files. */
  readonly dir: string
  /** `name`'s data directory inside `dir` (a user, or one of a user's devices). */
  dataDir(name: string): string
  /** --user, --broker (this file's Mosquitto unless `url`), --data-dir. */
  as(user: string, url?: string): string[]
  /** --user and --data-dir: what a command needs that works from the history alone. */
  local(user: string): string[]
  /** `parley args…` in the background (e.g. `listen`), killed after the file if still running. */
  start(args: string[], env?: NodeJS.ProcessEnv): Running
  /** Stops this file's Mosquitto and starts a fresh one (another port, nothing kept). */
  replaceBroker(): Promise<void>
}

/** `prefix` names the temp folder (parley-cli-<what>-). */
export function useCliLab(prefix: string, options: MosquittoOptions = {}): CliLab {
  let broker: Mosquitto | undefined
  let dir: string | undefined
  const running: Running[] = []

  beforeAll(async () => {
    requireBuiltCli()
    broker = await startMosquitto(options)
    dir = mkdtempSync(join(tmpdir(), prefix))
  })

  afterAll(async () => {
    for (const p of running) await p.stop('SIGKILL')
    await broker?.stop()
    if (dir) rmSync(dir, { recursive: true, force: true })
  })

  const lab: CliLab = {
    get broker() {
      if (!broker) throw new Error('Mosquitto starts in beforeAll')
      return broker
    },
    get dir() {
      if (!dir) throw new Error('the folder is made in beforeAll')
      return dir
    },
    dataDir: (name) => join(lab.dir, name),
    as: (user, url = lab.broker.url) => ['--user', user, '--broker', url, '--data-dir', lab.dataDir(user)],
    local: (user) => ['--user', user, '--data-dir', lab.dataDir(user)],
    start(args, env) {
      const p = startParley(args, env)
      running.push(p)
      return p
    },
    async replaceBroker() {
      await broker?.stop()
      broker = await startMosquitto(options)
    },
  }
  return lab
}
