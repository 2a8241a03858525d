import { existsSync, readFileSync, renameSync, writeFileSync, mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import { SettingsSchema, type Settings } from '../../../shared/schemas'

export type LoadedSettings = { settings: Settings | null; problem: string | null }

/**
 * Reads settings.json. A file that is not valid JSON or fails the schema is moved
 * aside (never deleted) and reported, so the person can set up again without
 * losing what was there.
 */
export function loadSettings(path: string): LoadedSettings {
  if (!existsSync(path)) return { settings: null, problem: null }
  let raw: unknown
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'))
  } catch (err) {
    return { settings: null, problem: setAside(path, `it is not valid JSON (${(err as Error).message})`) }
  }
  const parsed = SettingsSchema.safeParse(raw)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    const where = issue?.path.length ? ` at "${issue.path.join('.')}"` : ''
    return { settings: null, problem: setAside(path, `${issue?.message ?? 'it is invalid'}${where}`) }
  }
  return { settings: parsed.data, problem: null }
}

function setAside(path: string, why: string): string {
  const aside = `${path}.broken-${Date.now()}`
  renameSync(path, aside)
  return `Your settings could not be read because ${why}. They were kept in ${aside}; please set up Parley again.`
}

/** Writes atomically (temp file + rename) so a crash never leaves half a file. */
export function saveSettings(path: string, settings: Settings): void {
  mkdirSync(dirname(path), { recursive: true })
  const tmp = `${path}.tmp-${process.pid}`
  writeFileSync(tmp, JSON.stringify(SettingsSchema.parse(settings), null, 2) + '\n', { mode: 0o600 })
  renameSync(tmp, path)
}
