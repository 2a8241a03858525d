import { ref } from 'vue'
import type { BrokerChange, BrokerTestResult } from '../../../../shared/contract'
import { errorMessage } from '../../ui/errors'
import type { BrokerInput } from './broker-draft'
import { useAccountActions } from './io'

/** "Test connection": runs one test at a time and keeps what it found (or why it could not run). */
export function useBrokerTest() {
  const actions = useAccountActions()
  const testing = ref(false)
  const result = ref<BrokerTestResult | null>(null)
  let run = 0

  async function test(broker: BrokerInput, change?: BrokerChange): Promise<void> {
    const mine = ++run
    testing.value = true
    result.value = null
    try {
      const r = await actions.testBroker(broker, change)
      if (mine === run) result.value = r
    } catch (err) {
      if (mine === run) result.value = { ok: false, detail: errorMessage(err), protocolVersion: null }
    } finally {
      if (mine === run) testing.value = false
    }
  }

  /** The form changed: what was tested no longer says anything about it. */
  function forget(): void {
    run++
    testing.value = false
    result.value = null
  }

  return { testing, result, test, forget }
}
