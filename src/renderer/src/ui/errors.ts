/**
 * The text to show for a failed call. Calls reject with ParleyErrors (see api.ts),
 * whose message is written for people; anything else gets a generic sentence.
 */
export function errorMessage(err: unknown): string {
  const raw = err instanceof Error ? err.message : typeof err === 'string' ? err : ''
  // Electron prefixes errors that cross IPC; the person needs only our sentence.
  const message = raw.replace(/^Error invoking remote method '[^']+': (\w*Error: )?/, '').trim()
  return message || 'Something went wrong. Please try again.'
}

/** A `.catch` handler for background calls whose failure the person need not see. */
export function warn(what: string): (err: unknown) => void {
  return (err) => console.warn(`parley: ${what} failed: ${errorMessage(err)}`)
}
