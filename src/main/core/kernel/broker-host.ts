import type { BrokerSettings } from '../../../shared/schemas'
import { ensureEmbeddedBroker, type EmbeddedBroker } from '../broker/embedded-broker'
import type { Logger } from './log'
import { resolveBrokerDir } from './paths'

/**
 * The built-in broker for one session: hosted here unless another Parley on this
 * computer already does, and hosted again by whoever notices it gone (each
 * connection attempt asks first).
 */
export class BrokerHost {
  private broker: EmbeddedBroker | null = null
  private starting: Promise<unknown> | null = null

  constructor(
    private readonly settings: Extract<BrokerSettings, { kind: 'embedded' }>,
    private readonly log: Logger,
  ) {}

  /** Before a connection attempt. `stillWanted`: the session it is for has not been stopped meanwhile. */
  async ensure(stillWanted: () => boolean): Promise<void> {
    if (this.broker) return
    const starting = ensureEmbeddedBroker({
      port: this.settings.port,
      host: this.settings.shareOnLan ? '0.0.0.0' : '127.0.0.1',
      dir: resolveBrokerDir(this.settings.port),
      log: this.log,
    })
    this.starting = starting
    const broker = await starting
    if (!stillWanted()) {
      // Closed (or reconfigured) while the broker was starting: don't leave it running.
      await broker?.close()
      throw new Error('session stopped')
    }
    this.broker = broker
  }

  async close(): Promise<void> {
    // A broker still starting closes itself once it sees its session is gone.
    await this.starting?.catch(() => {})
    this.starting = null
    const broker = this.broker
    this.broker = null
    await broker?.close()
  }
}
