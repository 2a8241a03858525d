import { join } from 'node:path'
import { CONTRACT, type ParleyEvents, type ParleyServices, type Unsubscribe } from '../../shared/contract'
import type { AccountSetup } from '../../shared/schemas'
import { ALL_MIGRATIONS, FEATURES } from './features'
import { createAccountService, type DataDirSwitchHooks } from './kernel/account-service'
import { lockDataDir } from './kernel/data-dir-lock'
import type { AnyListener } from './kernel/event-bus'
import { DEFAULT_TUNING, type CoreTuning } from './kernel/feature'
import { Kernel } from './kernel/kernel'
import { silentLogger, type Logger } from './kernel/log'
import { loadSettings } from './kernel/settings-file'
import { openDatabase } from './store/open-database'

export { publicBroker } from './kernel/public-broker'

export interface CoreOptions {
  dataDir: string
  log?: Logger
  /** Seconds the broker keeps our session while we are away (MQTT 5). Default: 7 days. */
  sessionExpirySeconds?: number
  /** Shorter timings for tests. */
  tuning?: Partial<CoreTuning>
  /** How this program runs Parley on another data directory (the desktop shell can relaunch). */
  dataDirSwitch?: DataDirSwitchHooks
}

/**
 * Parley's engine for one data directory: opens it, builds the kernel and
 * registers the features. Node only (no Electron): the Electron shell, the web
 * host and the CLI each wrap one of these.
 */
export class ParleyCore {
  readonly services: ParleyServices

  private constructor(
    private readonly kernel: Kernel,
    private readonly unlock: () => void,
    dataDirSwitch?: DataDirSwitchHooks,
  ) {
    const services: Record<string, unknown> = {
      account: createAccountService(kernel, () => kernel.db.prepare('SELECT 1 FROM conversations LIMIT 1').get() !== undefined, dataDirSwitch),
    }
    for (const feature of FEATURES) {
      const made = kernel.register(feature)
      if (made.service) services[feature.name] = made.service
    }
    for (const name of Object.keys(CONTRACT)) {
      if (!services[name]) throw new Error(`no feature provides the ${name} service of the contract`)
    }
    this.services = services as unknown as ParleyServices
    kernel.start()
  }

  static async open(opts: CoreOptions): Promise<ParleyCore> {
    const log = opts.log ?? silentLogger
    const unlock = lockDataDir(opts.dataDir)
    try {
      const { db, problem: dbProblem } = openDatabase(join(opts.dataDir, 'history.db'), ALL_MIGRATIONS)
      const { settings, problem: settingsProblem } = loadSettings(join(opts.dataDir, 'settings.json'))
      const problems = [dbProblem, settingsProblem].filter((p): p is string => p !== null)
      for (const p of problems) log.warn(p)
      const kernel = new Kernel({
        dataDir: opts.dataDir,
        db,
        settings,
        problems,
        log,
        sessionExpirySeconds: opts.sessionExpirySeconds ?? 7 * 24 * 3600,
        tuning: { ...DEFAULT_TUNING, ...opts.tuning },
      })
      return new ParleyCore(kernel, unlock, opts.dataDirSwitch)
    } catch (err) {
      unlock()
      throw err
    }
  }

  get dataDir(): string {
    return this.kernel.dataDir
  }

  get user(): string | null {
    return this.kernel.account?.user ?? null
  }

  get connection() {
    return this.kernel.connection
  }

  onEvent(listener: AnyListener<ParleyEvents>): Unsubscribe {
    return this.kernel.events.onAny(listener)
  }

  configure(input: AccountSetup) {
    return this.kernel.configure(input)
  }

  close(): Promise<void> {
    return this.kernel.close(this.unlock)
  }
}
