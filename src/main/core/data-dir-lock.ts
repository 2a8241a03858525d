import { readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { ParleyError } from '../../shared/rpc'

const heldHere = new Set<string>()

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
  mkdirSync(dir, { recursive: true })
  const path = join(dir, 'parley.lock')
  if (heldHere.has(path)) throw new ParleyError(`Parley is already open with the data directory ${dir}.`, 'failed')
  try {
    writeFileSync(path, String(process.pid), { flag: 'wx' })
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err
    const pid = Number.parseInt(readFileSync(path, 'utf8'), 10)
    if (Number.isInteger(pid) && pid !== process.pid && isAlive(pid)) {
      throw new ParleyError(
        `Parley is already running with the data directory ${dir} (process ${pid}). Close it first, or use another --data-dir.`,
        'failed',
      )
    }
    writeFileSync(path, String(process.pid))
  }
  heldHere.add(path)
  return () => {
    heldHere.delete(path)
    rmSync(path, { force: true })
  }
}
