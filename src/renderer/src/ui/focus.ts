/** The window is in front and visible: what the user sees counts as read. */
export function windowHasFocus(): boolean {
  return document.visibilityState === 'visible' && document.hasFocus()
}
