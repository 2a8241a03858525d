import type { AccountService, DataDirSwitch } from '../../../shared/contract'
import { AccountSetupSchema, BrokerSettingsSchema } from '../../../shared/schemas'
import { BrokerChangeSchema, SignOutSchema } from '../../../shared/contract'
import { ParleyError } from '../../../shared/rpc'
import type { Kernel } from './kernel'

/**
 * What the program around the engine offers for running Parley on another data
 * directory: the desktop shell can ask for a folder and restart; the web host and
 * the CLI can only say how.
 */
export interface DataDirSwitchHooks {
  /** For people: how to start Parley on another data directory here. */
  howTo: string
  /** Asks for a folder and restarts Parley on it; false when the person cancelled. */
  relaunch?: () => Promise<boolean>
}

export const DEFAULT_DATA_DIR_SWITCH: DataDirSwitchHooks = {
  howTo: 'Start Parley again with another data directory: parley --data-dir DIR (or set PARLEY_DATA_DIR).',
}

/**
 * The account part of the contract: it is the kernel's own lifecycle (set-up,
 * reconnect, sign-out), so it lives here rather than in a feature. `hasHistory`
 * says whether the data directory already holds someone's conversations.
 */
export function createAccountService(
  kernel: Kernel,
  hasHistory: () => boolean,
  dataDirSwitch: DataDirSwitchHooks = DEFAULT_DATA_DIR_SWITCH,
): AccountService {
  return {
    async getState() {
      return kernel.accountState()
    },
    async setup(input, change) {
      const setup = AccountSetupSchema.parse(input)
      const owner = kernel.historyOwner()
      if (owner && owner !== setup.user && hasHistory()) {
        throw new ParleyError(
          kernel.account
            ? `This history belongs to ${owner}. To use Parley as ${setup.user}, start it with another data directory (--data-dir).`
            : `The history on this computer belongs to ${owner}: sign in as ${owner}, or start Parley with another data directory (--data-dir) to use it as ${setup.user}.`,
          'invalid-argument',
        )
      }
      return kernel.configure(setup, change === undefined ? undefined : BrokerChangeSchema.parse(change))
    },
    async reconnect() {
      if (!kernel.account) throw new ParleyError('Set up Parley first: choose a user name and a broker.', 'not-configured')
      kernel.reconnectNow()
    },
    async testBroker(broker, change) {
      return kernel.testBroker(BrokerSettingsSchema.parse(broker), change === undefined ? undefined : BrokerChangeSchema.parse(change))
    },
    async signOut(options) {
      return kernel.signOut(SignOutSchema.parse(options))
    },
    async dataDirSwitch(): Promise<DataDirSwitch> {
      return { canRelaunch: dataDirSwitch.relaunch !== undefined, howTo: dataDirSwitch.howTo }
    },
    async relaunchWithDataDir() {
      if (!dataDirSwitch.relaunch) throw new ParleyError(dataDirSwitch.howTo, 'failed')
      return dataDirSwitch.relaunch()
    },
  }
}
