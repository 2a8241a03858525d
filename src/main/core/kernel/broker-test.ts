import { randomBytes } from 'node:crypto'
import mqtt, { type MqttClient } from 'mqtt'
import type { BrokerTestResult } from '../../../shared/contract'
import type { BrokerSettings } from '../../../shared/schemas'
import { AUTH_REFUSALS, PROTOCOL_REFUSALS } from '../mqtt/connect-packet'
import { describeError, displayUrl } from '../mqtt/describe-error'

/** How long "Test connection" may take in all (both protocol versions together). */
export const BROKER_TEST_MS = 5_000

type Answered = { result: BrokerTestResult; refused?: boolean }
type Attempt = Answered | { noConnack: true }

const fail = (detail: string, refused = false): Answered => ({ result: { ok: false, detail, protocolVersion: null }, refused })

/**
 * Connects once with a client that leaves no trace: a random client id, a clean
 * session that expires at once, no Last Will, no subscriptions; it disconnects as
 * soon as the broker answers. MQTT 5 first, then 3.1.1 if the broker refuses 5
 * (or, like Aedes, hangs up without a CONNACK).
 */
export async function testBrokerUrl(
  target: { url: string; username?: string; password?: string; ca?: string },
  timeoutMs = BROKER_TEST_MS,
): Promise<BrokerTestResult & { refused?: boolean }> {
  const shown = displayUrl(target.url)
  const deadline = Date.now() + timeoutMs
  const tooSlow = `${shown} did not answer within ${Math.round(timeoutMs / 1000)} seconds. Check the address, the port and your network.`
  for (const version of [5, 4] as const) {
    const left = deadline - Date.now()
    if (left <= 0) return fail(tooSlow).result
    const outcome = await attempt(target, version, left, shown, tooSlow)
    if (!('noConnack' in outcome)) return { ...outcome.result, ...(outcome.refused ? { refused: true } : {}) }
  }
  return fail(`${shown} closed the connection without answering. Is it an MQTT broker?`).result
}

function attempt(
  target: { url: string; username?: string; password?: string; ca?: string },
  version: 4 | 5,
  budgetMs: number,
  shown: string,
  tooSlow: string,
): Promise<Attempt> {
  return new Promise((resolve) => {
    let client: MqttClient
    try {
      client = mqtt.connect(target.url, {
        clientId: `parley-test-${randomBytes(8).toString('hex')}`,
        clean: true,
        protocolVersion: version,
        reconnectPeriod: 0,
        connectTimeout: budgetMs,
        keepalive: 10,
        username: target.username || undefined,
        password: target.password || undefined,
        ca: target.ca || undefined,
      })
    } catch (err) {
      resolve(fail((err as Error).message))
      return
    }
    let settled = false
    let lastError: string | null = null
    const finish = (a: Attempt): void => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      // Forced: no DISCONNECT handshake to wait for, and a socket still waiting for a CONNACK is cut too.
      client.end(true)
      client.stream?.destroy()
      resolve(a)
    }
    const timer = setTimeout(() => finish(fail(tooSlow)), budgetMs)
    client.on('connect', () => finish({ result: { ok: true, detail: `Connected with MQTT ${version === 5 ? '5' : '3.1.1'}.`, protocolVersion: version } }))
    client.on('error', (err: Error & { code?: number | string }) => {
      const code = err.code
      if (typeof code === 'number') {
        if (AUTH_REFUSALS.has(code)) return finish(fail(`The broker refused the user name or password (${err.message}).`))
        if (version === 5 && PROTOCOL_REFUSALS.has(code)) return finish({ noConnack: true })
        return finish(fail(`The broker refused the connection: ${err.message}.`))
      }
      if (typeof code === 'string') return finish(fail(describeError(err, shown), code === 'ECONNREFUSED'))
      lastError = describeError(err, shown)
    })
    client.on('close', () => finish(lastError ? fail(lastError) : { noConnack: true }))
  })
}

/**
 * The built-in broker cannot be tested before it runs, but its port can: free (it
 * will start there), an MQTT broker already (Parley's, or another one it will use),
 * or taken by something else.
 */
export async function testEmbeddedBroker(
  broker: Extract<BrokerSettings, { kind: 'embedded' }>,
  timeoutMs = BROKER_TEST_MS,
): Promise<BrokerTestResult> {
  const r = await testBrokerUrl({ url: `mqtt://127.0.0.1:${broker.port}` }, timeoutMs)
  if (r.ok) return { ok: true, detail: `A broker answers on port ${broker.port} of this computer: Parley's built-in one, or another that Parley will use.`, protocolVersion: r.protocolVersion }
  if (r.refused) return { ok: true, detail: `Port ${broker.port} is free: Parley will start its built-in broker there.`, protocolVersion: null }
  return { ok: false, detail: `Port ${broker.port} of this computer is taken by something that is not an MQTT broker (${r.detail}). Choose another port.`, protocolVersion: null }
}

/** "Test connection": tries `broker` (its secrets filled in) with a throwaway client; touches neither the settings nor the session. */
export async function testBroker(broker: BrokerSettings): Promise<BrokerTestResult> {
  if (broker.kind === 'embedded') return testEmbeddedBroker(broker)
  const { refused: _refused, ...result } = await testBrokerUrl(broker)
  return result
}
