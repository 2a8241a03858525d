/** The text to show for a failed call: a ParleyError's message is written for people. */
export function errorMessage(err: unknown): string {
  const raw = err instanceof Error ? err.message : typeof err === 'string' ? err : ''
  // Electron prefixes errors that cross IPC; the person needs only our sentence.
  const message = raw.replace(/^Error invoking remote method '[^']+': (\w*Error: )?/, '').trim()
  return message || 'Something went wrong. Please try again.'
}
