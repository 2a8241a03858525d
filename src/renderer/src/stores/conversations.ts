import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import type { ConversationSummary } from '../../../shared/contract'

export const useConversationsStore = defineStore('conversations', () => {
  const byId = ref(new Map<string, ConversationSummary>())
  const selectedId = ref<string | null>(null)

  const list = computed(() => [...byId.value.values()].sort((a, b) => b.updatedAt - a.updatedAt || a.id.localeCompare(b.id)))
  const selected = computed(() => (selectedId.value ? (byId.value.get(selectedId.value) ?? null) : null))

  function replaceAll(items: ConversationSummary[]) {
    byId.value = new Map(items.map((c) => [c.id, c]))
  }

  function upsert(c: ConversationSummary) {
    byId.value.set(c.id, c)
  }

  function select(id: string | null) {
    selectedId.value = id
  }

  return { byId, selectedId, list, selected, replaceAll, upsert, select }
})
