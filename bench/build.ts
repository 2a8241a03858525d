/** Building the app for a bench from the sources as they are, into a temp dir (out/ is left to the tests). */
import { spawnSync } from 'node:child_process'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

export const REPO = fileURLToPath(new URL('..', import.meta.url))

/** Builds as npm run build does, into `outDir`: main/ (host.js, cli.js), preload/, renderer/. */
export function buildApp(outDir: string): void {
  const bin = join(REPO, 'node_modules', '.bin', 'electron-vite')
  const run = spawnSync(bin, ['build', '--outDir', outDir], { cwd: REPO, encoding: 'utf8', timeout: 600_000 })
  if (run.status !== 0) throw new Error(`the build failed:\n${run.stdout}\n${run.stderr}`)
}
