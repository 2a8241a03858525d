import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import type { Room, RoomMessageInfo } from '../../../../shared/contract'

/** The rooms joined, where room messages came from, and whether the "Join a room" dialog is open. State only. */
export const useRoomsStore = defineStore('rooms', () => {
  const byFilter = ref<Record<string, Room>>({})
  /** Topic and retained mark of room messages, by message id (asked once a message is on screen, or brought by events). */
  const info = ref<Record<string, RoomMessageInfo>>({})
  const joining = ref(false)
  /** The room just created: the dialog shows its link and code to share. */
  const created = ref<Room | null>(null)

  const all = computed(() => Object.values(byFilter.value).sort((a, b) => a.joinedAt - b.joinedAt))
  const byConversation = computed(() => Object.fromEntries(all.value.map((r) => [r.conversationId, r])) as Record<string, Room | undefined>)

  function replaceAll(rooms: readonly Room[]): void {
    byFilter.value = Object.fromEntries(rooms.map((r) => [r.filter, r]))
  }
  function set(room: Room): void {
    byFilter.value[room.filter] = room
  }
  function drop(filter: string): void {
    delete byFilter.value[filter]
  }
  function setInfo(items: readonly RoomMessageInfo[]): void {
    for (const i of items) info.value[i.id] = i
  }
  function showJoin(open: boolean): void {
    joining.value = open
    if (!open) created.value = null
  }
  function setCreated(room: Room | null): void {
    created.value = room
  }

  return { byFilter, info, joining, created, all, byConversation, replaceAll, set, drop, setInfo, showJoin, setCreated }
})
