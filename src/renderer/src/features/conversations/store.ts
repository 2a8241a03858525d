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

  const all = computed(() => Object.values(byId.value).sort(byRecency))
  /** The conversation list: message requests are held apart. */
  const list = computed(() => all.value.filter((c) => c.folder === 'inbox'))
  const requests = computed(() => all.value.filter((c) => c.folder === 'requests'))
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

  function remove(id: string): void {
    delete byId.value[id]
    if (selectedId.value === id) selectedId.value = null
  }

  function clearUnread(id: string): void {
    const c = byId.value[id]
    if (c && c.unread !== 0) byId.value[id] = { ...c, unread: 0 }
  }

  return { byId, selectedId, loaded, list, requests, selected, totalUnread, upsert, replaceAll, select, remove, clearUnread }
})
