import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/** Temporary directories for one test file; `cleanup()` removes them all. */
export function tmpDirs(prefix = 'parley-test-') {
  const made: string[] = []
  return {
    make(): string {
      const d = mkdtempSync(join(tmpdir(), prefix))
      made.push(d)
      return d
    },
    cleanup(): void {
      for (const d of made.splice(0)) rmSync(d, { recursive: true, force: true })
    },
  }
}
