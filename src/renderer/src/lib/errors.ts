/** The text to show for a failed call: a ParleyError's message is written for people. */
export function errorMessage(err: unknown): string {
  if (err instanceof Error && err.message) return err.message
  if (typeof err === 'string' && err) return err
  return 'Something went wrong. Please try again.'
}
