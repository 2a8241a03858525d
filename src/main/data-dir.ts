import { resolveDataDir } from './core/kernel/paths'

/** The value of `--data-dir DIR` or `--data-dir=DIR` in `argv`, if any. */
export function dataDirFlag(argv: readonly string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!
    if (arg === '--data-dir') {
      const next = argv[i + 1]
      return next && !next.startsWith('--') ? next : undefined
    }
    if (arg.startsWith('--data-dir=')) return arg.slice('--data-dir='.length) || undefined
  }
  return undefined
}

/** --data-dir, then PARLEY_DATA_DIR, then Electron's userData directory. */
export function shellDataDir(opts: { argv: readonly string[]; env: NodeJS.ProcessEnv; userData: string }): string {
  const flag = dataDirFlag(opts.argv) ?? (opts.env.PARLEY_DATA_DIR ? undefined : opts.userData)
  return resolveDataDir({ flag, env: opts.env })
}
