import type { IClientOptions } from 'mqtt'
import { MAX_PACKET_BYTES } from '../../../shared/schemas'
import type { SessionConfig } from './session'

/** CONNACK codes (3.1.1 and 5) that mean "fix your credentials", not "try again later". */
export const AUTH_REFUSALS: ReadonlySet<number> = new Set([4, 5, 134, 135, 138, 140])
/** CONNACK codes (3.1.1: 1, 5: 132) and parser errors of a broker that does not speak MQTT 5. */
export const PROTOCOL_REFUSALS: ReadonlySet<number> = new Set([1, 132])

/** The CONNECT of a persistent session: `clean: false`, no MQTT.js reconnect or resubscribe (the session does both). */
export function connectOptions(cfg: SessionConfig, version: 4 | 5): IClientOptions {
  const options: IClientOptions = {
    clientId: cfg.clientId,
    clean: false,
    reconnectPeriod: 0,
    connectTimeout: 10_000,
    keepalive: cfg.keepaliveSeconds ?? 30,
    resubscribe: false,
    queueQoSZero: false,
    username: cfg.username || undefined,
    password: cfg.password || undefined,
    ca: cfg.ca || undefined,
  }
  applyProtocol(options, cfg, version)
  return options
}

/**
 * What of the CONNECT depends on the protocol version and on the moment: set again
 * before every attempt (the Last Will is asked for then, so its time is that of the
 * connection it guards) and when falling back to 3.1.1.
 */
export function applyProtocol(o: IClientOptions, cfg: SessionConfig, version: 4 | 5): void {
  o.protocolVersion = version
  const will = cfg.will?.() ?? null
  if (version === 5) {
    // Maximum Packet Size: the broker must not forward us anything larger (it drops it instead),
    // so an oversize payload is never read into memory here.
    o.properties = { sessionExpiryInterval: cfg.sessionExpirySeconds, maximumPacketSize: MAX_PACKET_BYTES }
  } else {
    delete o.properties
  }
  if (will) {
    o.will = {
      topic: will.topic,
      payload: will.payload,
      qos: will.qos,
      retain: will.retain,
      ...(version === 5 && will.delaySeconds ? { properties: { willDelayInterval: will.delaySeconds } } : {}),
    }
  } else {
    delete o.will
  }
}
