/**
 * Scheme, host and port of a broker URL: "the same server reached the same way".
 * A stored password is only ever reused for the same endpoint (a changed URL must
 * not carry it to another server, nor from mqtts:// to a plain mqtt:// one). The
 * engine and the settings screen apply this one rule.
 */
export function brokerEndpoint(url: string): string | null {
  try {
    const u = new URL(url.trim())
    return `${u.protocol}//${u.host}`
  } catch {
    return null
  }
}
