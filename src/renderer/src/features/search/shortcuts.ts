/** The search shortcuts: Ctrl/Cmd+F in the open conversation, Ctrl/Cmd+Shift+F across all of them. */

export type SearchScope = 'conversation' | 'all'

type KeyInfo = Pick<KeyboardEvent, 'key' | 'code' | 'ctrlKey' | 'metaKey' | 'altKey' | 'shiftKey'>

/**
 * Which search a key press asks for, or null. Ctrl on Windows and Linux, Cmd on
 * macOS (either is accepted: a Linux keyboard has no Cmd, and a Mac user reaching
 * for Ctrl+F expects search too). The letter is read from `code` as well as `key`,
 * so a non-Latin layout (where F types another letter) still works.
 */
export function searchShortcut(e: KeyInfo): SearchScope | null {
  if (!(e.ctrlKey || e.metaKey) || e.altKey) return null
  const isF = e.key.toLowerCase() === 'f' || e.code === 'KeyF'
  if (!isF) return null
  return e.shiftKey ? 'all' : 'conversation'
}

/** How the shortcut reads on this platform, for tooltips. */
export function shortcutLabel(scope: SearchScope, mac: boolean): string {
  const mod = mac ? '⌘' : 'Ctrl+'
  return scope === 'all' ? `${mod}${mac ? '⇧' : 'Shift+'}F` : `${mod}F`
}

export function isMac(platform: string = typeof navigator === 'undefined' ? '' : navigator.platform): boolean {
  return /mac|iphone|ipad/i.test(platform)
}
