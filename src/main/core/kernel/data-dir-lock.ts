import { chmodSync, readdirSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { ParleyError } from '../../../shared/rpc'

const heldHere = new Set<string>()

/** Parley's own files in a data directory (with their -wal/-shm, temp and set-aside copies). */
const OWN_FILES = /^(history\.db|settings\.json|parley\.lock)/

/**
 * Creates the data directory private (0700) and makes Parley's files in it private
 * (0600), whatever the umask: they hold someone's message history. Other files are
 * left alone (someone may point --data-dir at a folder that has other things in it).
 */
export function prepareDataDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 })
  chmodSync(dir, 0o700)
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.isFile() && OWN_FILES.test(entry.name)) chmodSync(join(dir, entry.name), 0o600)
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/**
 * One Parley per data directory: two would share a client id and keep kicking
 * each other off the broker. A lock left by a crashed process is taken over.
 */
export function lockDataDir(dir: string): () => void {
  prepareDataDir(dir)
  const path = join(dir, 'parley.lock')
  if (heldHere.has(path)) throw new ParleyError(`Parley is already open with the data directory ${dir}.`, 'failed')
  try {
    writeFileSync(path, String(process.pid), { flag: 'wx', mode: 0o600 })
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err
    const pid = Number.parseInt(readFileSync(path, 'utf8'), 10)
    if (Number.isInteger(pid) && pid !== process.pid && isAlive(pid)) {
      throw new ParleyError(
        `Parley is already running with the data directory ${dir} (process ${pid}). Close it first, or use another --data-dir.`,
        'failed',
      )
    }
    writeFileSync(path, String(process.pid), { mode: 0o600 })
  }
  heldHere.add(path)
  return () => {
    heldHere.delete(path)
    rmSync(path, { force: true })
  }
}
