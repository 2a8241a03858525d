/**
 * The renderer's layout rules, checked on the source:
 * - only api.ts reads `window.parley`;
 * - a feature imports another feature only through its index.ts, and only one it
 *   names in `dependsOn`;
 * - ui/ imports no feature and not the app; app/ reaches features through index.ts;
 * - features/index.ts lists every feature folder.
 */
import { describe, expect, it } from 'vitest'

// The sources as text, keyed by their path under src/renderer/src (Vite's glob import keeps these tests free of Node APIs).
const PREFIX = '../../../src/renderer/src/'
const SOURCES: Record<string, string> = Object.fromEntries(
  Object.entries(
    import.meta.glob<string>('../../../src/renderer/src/**/*.{ts,vue}', { query: '?raw', import: 'default', eager: true }),
  ).map(([path, text]) => [path.slice(PREFIX.length), text]),
)
const ALL = Object.keys(SOURCES).sort()

const filesUnder = (dir: string): string[] => ALL.filter((p) => p.startsWith(`${dir}/`))
const read = (path: string): string => SOURCES[path] ?? ''
const withoutComments = (code: string) => code.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`])\/\/.*$/gm, '$1')

/** `spec` (relative) resolved against the folder of `file`, both relative to src/renderer/src. */
function resolveFrom(file: string, spec: string): string {
  const parts = file.split('/').slice(0, -1)
  for (const part of spec.split('/')) {
    if (part === '..') parts.pop()
    else if (part !== '.' && part !== '') parts.push(part)
  }
  return parts.join('/')
}

/** What a file imports with relative specifiers, as paths under src/renderer/src (outside it they start with '..'). */
function importsOf(file: string): string[] {
  const code = withoutComments(read(file))
  const specs = [...code.matchAll(/(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g)].map((m) => m[1] ?? m[2]!)
  return specs.filter((s) => s.startsWith('.')).map((s) => resolveFrom(file, s))
}

const featureNames = [...new Set(filesUnder('features').map((p) => p.split('/')[1]!).filter((n) => !/\.(ts|vue)$/.test(n)))]

function declaredDeps(feature: string): string[] {
  const m = /dependsOn:\s*\[([^\]]*)\]/.exec(read(`features/${feature}/index.ts`))
  return m ? [...m[1]!.matchAll(/['"]([^'"]+)['"]/g)].map((x) => x[1]!) : []
}

/** The feature folder a path falls in, and whether it names that folder's public surface. */
function featureTarget(path: string): { feature: string; isIndex: boolean } | null {
  const m = /^features\/([^/]+)(\/.*)?$/.exec(path)
  if (!m || !featureNames.includes(m[1]!)) return null
  return { feature: m[1]!, isIndex: m[2] === undefined || m[2] === '/index' || m[2] === '/index.ts' }
}

describe('renderer layout', () => {
  it('reads window.parley only in api.ts', () => {
    expect(ALL.length).toBeGreaterThan(20)
    const readers = ALL.filter((f) => /\.parley\b|\[\s*['"]parley['"]\s*\]/.test(withoutComments(read(f))))
    expect(readers).toEqual(['api.ts'])
  })

  it('every feature folder has an index.ts and one line in features/index.ts', () => {
    const registry = read('features/index.ts')
    expect(featureNames.length).toBeGreaterThanOrEqual(5)
    for (const name of featureNames) {
      expect(ALL, name).toContain(`features/${name}/index.ts`)
      expect(registry, name).toMatch(new RegExp(`from '\\./${name}'`))
    }
  })

  it('features use each other only through index.ts and only when declared in dependsOn', () => {
    const problems: string[] = []
    for (const feature of featureNames) {
      const deps = declaredDeps(feature)
      for (const file of filesUnder(`features/${feature}`)) {
        for (const target of importsOf(file)) {
          const t = featureTarget(target)
          if (!t || t.feature === feature) continue
          if (!t.isIndex) problems.push(`${file} reaches into ${target} (use features/${t.feature}/index.ts)`)
          if (!deps.includes(t.feature)) problems.push(`${file} uses ${t.feature} without dependsOn: ['${t.feature}']`)
        }
      }
    }
    expect(problems).toEqual([])
  })

  it('ui/ depends on no feature and not on the app; app/ uses features through index.ts', () => {
    const problems: string[] = []
    for (const file of filesUnder('ui')) {
      for (const target of importsOf(file)) if (/^(features|app)(\/|$)/.test(target)) problems.push(`${file} imports ${target}`)
    }
    for (const file of [...filesUnder('app'), 'main.ts']) {
      for (const target of importsOf(file)) {
        const t = featureTarget(target)
        if (t && !t.isIndex) problems.push(`${file} reaches into ${target}`)
      }
    }
    expect(problems).toEqual([])
  })

  it('the checks above do catch a deep import and an undeclared one', () => {
    expect(importsOf('features/messages/io.ts')).toContain('features/conversations')
    expect(resolveFrom('features/typing/io.ts', '../messages/store')).toBe('features/messages/store')
    expect(featureTarget('features/messages/store')).toEqual({ feature: 'messages', isIndex: false })
    expect(featureTarget('features/messages')).toEqual({ feature: 'messages', isIndex: true })
    expect(declaredDeps('messages')).toContain('conversations')
    expect(declaredDeps('account')).toEqual([])
  })
})
