import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import type { GroupReceiptCounts, GroupSummary } from '../../../../shared/contract'

const newestFirst = (a: GroupSummary, b: GroupSummary) => b.updatedAt - a.updatedAt || a.id.localeCompare(b.id)

/** My groups (and invites to them), my messages' receipt counts, and which group dialog is open. State only. */
export const useGroupsStore = defineStore('groups', () => {
  const byId = ref<Record<string, GroupSummary>>({})
  /** Receipt counts of my group messages, by message id (read when a message is on screen, then kept by events). */
  const receipts = ref<Record<string, GroupReceiptCounts>>({})
  /** Group conversations with an unread message that @mentions me: conversation id → those messages. */
  const mentioned = ref<Record<string, string[]>>({})
  /** The "New group" dialog is open. */
  const creating = ref(false)
  /** The group whose details dialog is open. */
  const detailsFor = ref<string | null>(null)

  const all = computed(() => Object.values(byId.value).sort(newestFirst))
  /** Invites waiting for my answer, newest first. */
  const invites = computed(() => all.value.filter((g) => g.membership === 'invited'))
  const byConversation = computed(() => Object.fromEntries(all.value.map((g) => [g.conversationId, g])) as Record<string, GroupSummary | undefined>)
  const details = computed(() => (detailsFor.value ? (byId.value[detailsFor.value] ?? null) : null))

  function replaceAll(items: readonly GroupSummary[]): void {
    byId.value = Object.fromEntries(items.map((g) => [g.id, g]))
  }

  /** An answer older than what an event already brought loses. */
  function set(g: GroupSummary): void {
    const current = byId.value[g.id]
    if (current && current.updatedAt > g.updatedAt) return
    byId.value[g.id] = g
  }

  function drop(id: string): void {
    delete byId.value[id]
    if (detailsFor.value === id) detailsFor.value = null
  }

  function setReceipts(counts: GroupReceiptCounts): void {
    receipts.value[counts.messageId] = counts
  }

  function addMention(conversationId: string, messageId: string): void {
    const ids = mentioned.value[conversationId] ?? []
    if (!ids.includes(messageId)) mentioned.value[conversationId] = [...ids, messageId]
  }

  function clearMentions(conversationId: string): void {
    delete mentioned.value[conversationId]
  }

  function showCreate(open: boolean): void {
    creating.value = open
  }

  function showDetails(id: string | null): void {
    detailsFor.value = id
  }

  return { byId, receipts, mentioned, creating, detailsFor, all, invites, byConversation, details, replaceAll, set, drop, setReceipts, addMention, clearMentions, showCreate, showDetails }
})
