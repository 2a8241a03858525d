import type { AccountService } from '../../../shared/contract'
import { ParleyError } from '../../../shared/rpc'
import type { Kernel } from './kernel'

/**
 * The account part of the contract: it is the kernel's own lifecycle (set-up,
 * reconnect), so it lives here rather than in a feature. `hasHistory` says whether
 * the data directory already holds someone's conversations.
 */
export function createAccountService(kernel: Kernel, hasHistory: () => boolean): AccountService {
  return {
    async getState() {
      return kernel.accountState()
    },
    async setup(input) {
      const current = kernel.account?.user
      if (current && current !== input.user && hasHistory()) {
        throw new ParleyError(
          `This history belongs to ${current}. To use Parley as ${input.user}, start it with another data directory (--data-dir).`,
          'invalid-argument',
        )
      }
      return kernel.configure(input)
    },
    async reconnect() {
      if (!kernel.account) throw new ParleyError('Set up Parley first: choose a user name and a broker.', 'not-configured')
      kernel.reconnectNow()
    },
  }
}
