/** Moving the selection through the results with ↑/↓: clamped at both ends; -1 means none. */
export function moveSelection(current: number, key: 'ArrowUp' | 'ArrowDown', count: number): number {
  if (count === 0) return -1
  if (key === 'ArrowDown') return current < 0 ? 0 : Math.min(count - 1, current + 1)
  return current <= 0 ? 0 : current - 1
}
