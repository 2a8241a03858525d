import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import type { ConversationSummary } from '../../../../shared/contract'

function byRecency(a: ConversationSummary, b: ConversationSummary): number {
  return b.updatedAt - a.updatedAt || a.id.localeCompare(b.id)
}

/** The conversation list (newest activity first) and which one is open. State only. */
export const useConversationsStore = defineStore('conversations', () => {
  const byId = ref<Record<string, ConversationSummary>>({})
  const selectedId = ref<string | null>(null)
  /** The first list has arrived (until then, "no conversations" would be a lie). */
  const loaded = ref(false)

  const list = computed(() => Object.values(byId.value).sort(byRecency))
  const selected = computed(() => (selectedId.value ? (byId.value[selectedId.value] ?? null) : null))
  const totalUnread = computed(() => list.value.reduce((n, c) => n + c.unread, 0))

  function upsert(c: ConversationSummary): void {
    byId.value[c.id] = c
  }

  /** Takes a full list; an entry that an event made newer in the meantime is kept. */
  function replaceAll(items: ConversationSummary[]): void {
    const next: Record<string, ConversationSummary> = { ...byId.value }
    for (const c of items) {
      const current = next[c.id]
      if (!current || current.updatedAt <= c.updatedAt) next[c.id] = c
    }
    byId.value = next
    loaded.value = true
  }

  function select(id: string | null): void {
    selectedId.value = id
  }

  function clearUnread(id: string): void {
    const c = byId.value[id]
    if (c && c.unread !== 0) byId.value[id] = { ...c, unread: 0 }
  }

  return { byId, selectedId, loaded, list, selected, totalUnread, upsert, replaceAll, select, clearUnread }
})
