import type { Session, WebContents } from 'electron'

/** The same policy as the renderer's <meta> CSP, sent as a header as well. */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ')

/** The only permission the page may hold. */
const ALLOWED_PERMISSIONS: ReadonlySet<string> = new Set(['notifications'])

/** Only http(s) links leave the app, and only to the system browser. */
export function isSafeExternalUrl(raw: string): boolean {
  try {
    const url = new URL(raw)
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== ''
  } catch {
    return false
  }
}

/**
 * Session-wide rules: a CSP header on every response (the dev server's too; a file://
 * page is covered by its <meta> CSP) and permission handlers that grant nothing but
 * notifications, and those only to our own page.
 */
export function installSessionSecurity(ses: Session, isTrustedUrl: (url: string) => boolean): void {
  ses.setPermissionRequestHandler((contents, permission, callback) => {
    callback(ALLOWED_PERMISSIONS.has(permission) && isTrustedUrl(contents.getURL()))
  })
  ses.setPermissionCheckHandler((contents, permission) => ALLOWED_PERMISSIONS.has(permission) && contents !== null && isTrustedUrl(contents.getURL()))
  ses.webRequest.onHeadersReceived((details, callback) => {
    const headers: Record<string, string[] | string> = {}
    for (const [name, value] of Object.entries(details.responseHeaders ?? {})) {
      if (name.toLowerCase() !== 'content-security-policy') headers[name] = value
    }
    headers['Content-Security-Policy'] = [CONTENT_SECURITY_POLICY]
    callback({ responseHeaders: headers })
  })
}

/**
 * Per-page rules: the page never navigates away from our renderer, never opens windows
 * (http(s) links go to the system browser) and never attaches a <webview>.
 */
export function hardenWebContents(
  contents: WebContents,
  isTrustedUrl: (url: string) => boolean,
  openExternal: (url: string) => Promise<void>,
): void {
  const keepOnOurPage = (event: { preventDefault(): void }, url: string) => {
    if (!isTrustedUrl(url)) event.preventDefault()
  }
  contents.on('will-navigate', (event, url) => keepOnOurPage(event, url))
  contents.on('will-redirect', (event, url) => keepOnOurPage(event, url))
  contents.on('will-attach-webview', (event) => event.preventDefault())
  contents.setWindowOpenHandler(({ url }) => {
    if (isSafeExternalUrl(url)) openExternal(url).catch(() => undefined)
    return { action: 'deny' }
  })
}
