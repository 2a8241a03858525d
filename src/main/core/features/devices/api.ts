import type { z } from 'zod'
import type { AfterCommit } from '../../mqtt/router'

/** Where a shared item came from. */
export interface SharedOrigin {
  /** The public device id of my other device that sent it. */
  device: string
  /** Its clock, ms since epoch. */
  ts: number
}

/**
 * What other features get from devices (through `dependsOn: ['devices']`): a
 * private channel between the devices of one account, for keeping contacts,
 * blocks, read state and sent messages the same on all of them.
 */
export interface DevicesApi {
  /**
   * Sends `data` to my other devices under `kind` (sealed with the account's device
   * key; nothing is sent while this device is not linked). Safe inside a transaction:
   * it goes through the outbox.
   */
  share(kind: string, data: unknown): void
  /**
   * Handles items of `kind` from my other devices, inside the receive transaction;
   * `schema` validates `data` first (a mismatch is logged and dropped). Register once per kind.
   */
  onShared<T>(kind: string, schema: z.ZodType<T>, handler: (data: T, origin: SharedOrigin) => AfterCommit): void
}
