/** The sentence a person sees for a connection error: what happened, not an errno. */
export function describeError(err: Error & { code?: number | string }, broker: string): string {
  switch (err.code) {
    case 'ECONNREFUSED':
      return `Nothing answers at ${broker}. Is the broker running?`
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `Cannot find the host of ${broker}. Check the address and your network.`
    case 'ETIMEDOUT':
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return `Cannot reach ${broker} (${err.code}). Check your network.`
    case 'ECONNRESET':
      return `The connection to ${broker} was cut.`
    default:
      if (err.message === 'connack timeout') return `${broker} did not answer in time.`
      return err.message
  }
}

/** A broker URL without its credentials, for display. */
export function displayUrl(url: string): string {
  try {
    const u = new URL(url)
    u.username = ''
    u.password = ''
    return u.toString().replace(/\/$/, '')
  } catch {
    return url
  }
}
