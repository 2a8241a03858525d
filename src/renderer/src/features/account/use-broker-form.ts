import { computed, ref, watch } from 'vue'
import type { PublicBrokerSettings } from '../../../../shared/contract'
import { brokerFromDraft, draftFrom, keepsPassword, type BrokerDraft, type BrokerInput } from './broker-draft'
import { useBrokerTest } from './use-broker-test'

/**
 * A form around BrokerFields (the set-up screen, the Broker section): the draft filled
 * from what is configured, the field the last check found wrong, whether an empty
 * password keeps the stored one, and "Test connection". Any edit forgets what was
 * checked and tested, and calls `onEdit`.
 */
export function useBrokerForm(current: () => PublicBrokerSettings | null, onEdit?: () => void) {
  const draft = ref<BrokerDraft>(draftFrom(current()))
  const invalid = ref<{ field: 'port' | 'url'; error: string } | null>(null)
  const keeps = computed(() => keepsPassword(draft.value, current()))
  const brokerTest = useBrokerTest()

  watch(
    draft,
    () => {
      invalid.value = null
      brokerTest.forget()
      onEdit?.()
    },
    { deep: true },
  )

  /** The settings the draft stands for, or null (and the field to fix is marked). */
  function checkedBroker(): BrokerInput | null {
    const checked = brokerFromDraft(draft.value)
    invalid.value = checked.ok ? null : { field: checked.field, error: checked.error }
    return checked.ok ? checked.broker : null
  }

  async function testConnection(): Promise<void> {
    if (brokerTest.testing.value) return
    const broker = checkedBroker()
    if (broker) await brokerTest.test(broker, { keepSecrets: keeps.value })
  }

  return { draft, invalid, keeps, brokerTest, checkedBroker, testConnection }
}
